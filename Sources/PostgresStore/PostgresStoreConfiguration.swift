public import Foundation
public import PostgresNIO
import NIOSSL
public import Store

/// Where a ``PostgresStore`` connects, read from a URL in libpq's terms.
///
/// ```swift
/// let config = try PostgresStoreConfiguration(url: "postgres://envmon@db.example:5432/envmon?sslmode=require",
///                                             passwordFile: "/etc/envmon/pg-password")
/// ```
///
/// The password is never in the URL's place of choice for secrets: it comes from `passwordFile`
/// (its first line) or else from the `PGPASSWORD` environment variable, as for libpq; a password
/// written in the URL itself is accepted too. `sslmode` takes libpq's `disable`, `prefer` (the
/// default, as in libpq) and `require`; `require` encrypts without verifying the server's
/// certificate, as libpq's `require` does.
public struct PostgresStoreConfiguration: Sendable {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The user to log in as.
    public var username: String
    /// The password, if any.
    public var password: String?
    /// The database.
    public var database: String
    /// libpq's `sslmode`.
    public var sslMode: SSLMode
    /// Connections the pool may open at most.
    public var maximumConnections: Int = 8
    /// How a batch's new samples (those newer than their series' newest) are sent.
    public var bulkInsert: BulkInsert = .copy
    /// Whether each write appends its fresh readings to the commit log (``PostgresStore/commits(after:limit:)``),
    /// which the rule leader of several daemons evaluates: the daemon's store does; an import or
    /// a migration, whose readings no rule should see, does not.
    public var logsCommits = false

    /// How new samples go into `sample`; both send a batch in one statement, never row by row.
    public enum BulkInsert: String, Sendable, CaseIterable {
        /// `COPY sample FROM STDIN` (text format): the server's bulk-load path.
        case copy
        /// `INSERT INTO sample SELECT * FROM unnest($1, …)` with one binary array a column.
        case arrays
    }

    /// libpq's `sslmode` values that envmon supports.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain TCP otherwise.
        case prefer
        /// TLS or no connection (the certificate is not verified, as with libpq's `require`).
        case require
    }

    /// Reads a `postgres://` (or `postgresql://`) URL.
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
    ///   - passwordFile: a file whose first line is the password; it wins over `PGPASSWORD`.
    ///   - environment: where `PGPASSWORD` is looked up (the process's environment by default).
    /// - Throws: `StoreError` with code `open`, naming what is wrong.
    public init(url: String, passwordFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw StoreError(.open, "\(url) is not a postgres:// URL")
        }
        guard let host = parts.host, !host.isEmpty else { throw StoreError(.open, "\(url) names no host") }
        guard let user = parts.user, !user.isEmpty else { throw StoreError(.open, "\(url) names no user") }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw StoreError(.open, "\(url) names no database") }
        self.host = host
        port = parts.port ?? 5432
        username = user.removingPercentEncoding ?? user
        self.database = database.removingPercentEncoding ?? database
        sslMode = .prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw StoreError(.open, 
                        "sslmode=\(item.value ?? "") in \(url): use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            default:
                throw StoreError(.open, "\(item.name) in \(url) is not a setting envmon knows (only sslmode)")
            }
        }
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw StoreError(.open, "cannot read the password file \(passwordFile)")
            }
            password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        } else if let inURL = parts.password {
            password = inURL.removingPercentEncoding ?? inURL
        } else {
            password = environment["PGPASSWORD"]
        }
    }

    /// The URL again, without the password.
    public var redactedURL: String { "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)" }

    /// The postgres-nio client configuration.
    var client: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer, .require:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = sslMode == .prefer ? .prefer(config) : .require(config)
        }
        var c = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        c.options.maximumConnections = maximumConnections
        c.options.minimumConnections = 1
        return c
    }
}
