public import Store

extension HealthCheck {
    /// A check that passes while the store file is the one the daemon opened: not moved,
    /// deleted, replaced or overwritten (``SQLiteStore/checkFile()``; a problem found stays).
    /// - Parameters:
    ///   - store: the daemon's store, guarded (``SQLiteStore/guardFile()``).
    ///   - name: the name `/readyz` lists.
    public static func storeFile(_ store: SQLiteStore, name: String = "store") -> HealthCheck {
        HealthCheck(name) {
            do throws(StoreError) {
                try store.checkFile()
                return .ok
            } catch {
                return .failing(error.message)
            }
        }
    }
}
