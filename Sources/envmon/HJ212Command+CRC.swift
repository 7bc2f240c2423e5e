import ArgumentParser
import Collectors

extension HJ212Command {
    /// `envmon hj212 crc`: the checksum of a data segment.
    struct CRC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crc",
            abstract: "Print the four-hex-digit CRC of a data segment (QN=… or ST=… through the closing &&).")

        @Argument(help: "The data segment.")
        var segment: String

        @Option(name: .long, help: "The algorithm: hj212 (the standard's), modbus or modbus-swapped.")
        var variant: Variant = .hj212

        enum Variant: String, ExpressibleByArgument, CaseIterable {
            case hj212, modbus
            case modbusSwapped = "modbus-swapped"
        }

        func run() {
            let bytes = Array(segment.utf8)
            let crc: UInt16
            switch variant {
            case .hj212: crc = HJ212CRC.checksum(bytes)
            case .modbus: crc = HJ212CRC.modbus(bytes)
            case .modbusSwapped: crc = HJ212CRC.modbus(bytes).byteSwapped
            }
            print(HJ212CRC.hex(crc))
        }
    }
}
