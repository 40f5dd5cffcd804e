import HTTPTypes
import Hummingbird
import NIOCore

/// The two formats of GeoReport v2, chosen by the suffix of the last path component.
enum Open311Format: String, Sendable {
    case xml
    case json

    var contentType: String {
        switch self {
        case .xml: "text/xml; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
    }

    /// Splits `requests.json` into `requests` and its format; nil format when the suffix is
    /// missing or unknown.
    static func split(_ file: String) -> (name: String, format: Open311Format?) {
        guard let dot = file.lastIndex(of: ".") else { return (file, nil) }
        return (String(file[..<dot]), Open311Format(rawValue: file[file.index(after: dot)...].lowercased()))
    }
}

/// An answer, written once and rendered as either format. The spec's XML and JSON differ only in
/// how a list is spelt (a wrapper element with one named child per item, or an array), so one
/// tree with named lists gives both.
indirect enum Open311Value: Sendable {
    /// nil is an empty element in XML and `null` in JSON.
    case text(String?)
    /// Already formatted, written bare in JSON.
    case number(String)
    case bool(Bool)
    /// Fields in the spec's order.
    case object([(String, Open311Value)])
    /// A list whose items are `<item>` elements in XML.
    case list(item: String, [Open311Value])

    static func int(_ n: Int64) -> Open311Value { .number(String(n)) }

    static func double(_ d: Double?) -> Open311Value {
        guard let d, d.isFinite else { return .text(nil) }
        return .number(String(d))
    }
}

/// A whole answer: the XML root element's name and the value under it.
struct Open311Document: Sendable {
    var root: String
    var value: Open311Value

    func render(_ format: Open311Format) -> String {
        switch format {
        case .xml:
            var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            XMLWriter.element(root, value, into: &out)
            return out + "\n"
        case .json:
            var out = ""
            JSONWriter.value(value, into: &out)
            return out
        }
    }

    func response(_ format: Open311Format, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: format.contentType, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: render(format))))
    }

    /// The spec's error answer: a list of `{code, description}`.
    static func errors(_ status: HTTPResponse.Status, _ description: String) -> Open311Document {
        Open311Document(root: "errors", value: .list(item: "error", [
            .object([("code", .int(Int64(status.code))), ("description", .text(description))]),
        ]))
    }
}

/// A small XML writer of our own: elements and escaped text only, which is all GeoReport needs.
enum XMLWriter {
    static func element(_ name: String, _ value: Open311Value, into out: inout String) {
        switch value {
        case .text(nil):
            out += "<\(name)/>"
        case .text(let s?):
            out += "<\(name)>\(escape(s))</\(name)>"
        case .number(let s):
            out += "<\(name)>\(s)</\(name)>"
        case .bool(let b):
            out += "<\(name)>\(b)</\(name)>"
        case .object(let fields):
            out += "<\(name)>"
            for (key, v) in fields { element(key, v, into: &out) }
            out += "</\(name)>"
        case .list(let item, let values):
            out += "<\(name)>"
            for v in values { element(item, v, into: &out) }
            out += "</\(name)>"
        }
    }

    /// Escapes the five special characters and drops the characters XML 1.0 cannot carry at all
    /// (controls other than tab and line breaks), which would otherwise make the document invalid.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// JSON with the fields in the spec's order (Foundation's encoder would sort or scramble them).
enum JSONWriter {
    static func value(_ value: Open311Value, into out: inout String) {
        switch value {
        case .text(nil): out += "null"
        case .text(let s?): string(s, into: &out)
        case .number(let s): out += s
        case .bool(let b): out += b ? "true" : "false"
        case .object(let fields):
            out += "{"
            for (i, (key, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                string(key, into: &out)
                out += ":"
                self.value(v, into: &out)
            }
            out += "}"
        case .list(_, let values):
            out += "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += "," }
                self.value(v, into: &out)
            }
            out += "]"
        }
    }

    static func string(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
