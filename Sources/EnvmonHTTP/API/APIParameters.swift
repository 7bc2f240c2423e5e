import Foundation
public import Hummingbird
import Reports
import Store

/// The query parameters of a request, read with errors that name them (400 `badParameter`).
struct APIParameters {
    let request: Request

    init(_ request: Request) { self.request = request }

    /// The value of `name`, if given (an empty value counts as not given).
    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// The value of `name`, required.
    func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw APIError.badParameter(name, "required") }
        return value
    }

    /// Every value of `name` (`?site=a&site=b`), and comma-separated ones.
    func list(_ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// `name` as one of the raw values of `T`.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError.badParameter(name, "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// `name` as a whole number in `range`.
    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badParameter(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `name` as `true` or `false`.
    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.badParameter(name, "'\(text)' is not true or false")
        }
    }

    /// The report language: `lang`, else `fallback`.
    func language(_ fallback: ReportLanguage) throws -> ReportLanguage {
        guard let text = string("lang") else { return fallback }
        guard let l = ReportLanguage(parsing: text) else { throw APIError.badParameter("lang", "'\(text)' is not zh-CN or en") }
        return l
    }
}

extension APIError {
    /// The answer to a library's error: 404 for what does not exist, 400 naming the argument
    /// otherwise (its message already names it); a store that cannot be read, 503.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as ReportsError:
            return error.isNotFound ? .notFound(error.description) : APIError(400, "badParameter", error.description)
        case let error as StoreError: return .unavailable("the store: \(error)")
        default: return APIError(500, "internal", "\(error)")
        }
    }
}

/// Runs a library call, its errors as API errors.
func calling<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw APIError.from(error)
    }
}
