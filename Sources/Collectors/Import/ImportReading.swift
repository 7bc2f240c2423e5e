import Monitoring

/// A checked reading as the importer holds it until its chunk goes to the store.
///
/// The series is a number (an index into ``ImportLookups/series``), so a reading takes 24 bytes
/// where a `Sample` takes 72: the chunk being filled while the one before it commits costs a
/// third of the memory, and becomes `Sample`s only when it is handed over.
struct ImportReading {
    var time: Int64
    var value: Double
    var series: Int32
    var flag: DataFlag
}
