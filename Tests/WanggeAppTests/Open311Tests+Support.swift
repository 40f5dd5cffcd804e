import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Testing
import WanggeApp

// Helpers of Open311Tests: form posts, the spec's error lists, and a small XML tree to read answers.

extension Harness {
    /// Issues a key as the administrator and returns it.
    func o311Key() async throws -> String {
        let res = try await send(.post, "/api/v1/open311/keys", token: try await login(.admin), json: ["name": "测试客户端"])
        return try #require(res.json["apiKey"] as? String)
    }

    /// Posts a form-encoded request with `key`.
    func o311Post(key: String, _ fields: [(String, String)], format: String = "json") async throws -> Reply {
        try await send(.post, "/open311/v2/requests.\(format)", body: o311FormBody([("api_key", key)] + fields),
                       headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    func o311Act(_ id: Int64, _ action: String, _ token: String, _ body: [String: Any] = [:]) async throws -> Reply {
        try await send(.post, "/api/v1/events/\(id)/actions/\(action)", token: token, json: body)
    }
}

func o311FormBody(_ fields: [(String, String)]) -> Data {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = fields.map { name, value in
        "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    }.joined(separator: "&")
    return Data(text.utf8)
}

func o311List(_ reply: Reply) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]], "not a JSON list: \(reply.text)")
}

func o311Attributes(_ h: Harness, _ code: String) async throws -> [[String: Any]] {
    let reply = try await h.send(.get, "/open311/v2/services/\(code).json")
    #expect(reply.json["service_code"] as? String == code)
    return try #require(reply.json["attributes"] as? [[String: Any]], "\(reply.text)")
}

/// Checks an Open311 error answer: the status, the format, and the list of `{code, description}`;
/// returns the description.
@discardableResult
func o311Error(_ h: Harness, _ method: HTTPRequest.Method, _ path: String, _ code: Int,
                         form: [(String, String)]? = nil) async throws -> String {
    // The answer's format is the path's (XML when it names neither, the spec's required format).
    let xml = !(path.split(separator: "?").first ?? "").hasSuffix(".json")
    let reply = try await h.send(method, path, body: form.map(o311FormBody),
                                 headers: form == nil ? [:] : [.contentType: "application/x-www-form-urlencoded"])
    #expect(Int(reply.status.code) == code, "\(method) \(path): \(reply.status) \(reply.text)")
    if xml {
        #expect(reply.headers[.contentType]?.hasPrefix("text/xml") == true, "\(path)")
        let root = try #require(XMLTree.parse(reply), "\(reply.text)")
        #expect(root.name == "errors" && root.children.map(\.name) == ["error"])
        #expect(root.all("code").first?.text == String(code))
        return root.all("description").first?.text ?? ""
    }
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, "\(path): \(reply.text)")
    let list = try o311List(reply)
    #expect(list.count == 1 && list[0]["code"] as? Int == code)
    let description = list.first?["description"] as? String ?? ""
    #expect(!description.isEmpty)
    return description
}

/// Just enough of an XML tree to check answers: elements with their text.
final class XMLTree {
    let name: String
    var children: [XMLTree] = []
    var text = ""

    init(name: String) { self.name = name }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every element of that name below this one, in document order.
    func all(_ name: String) -> [XMLTree] { children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) } }

    static func parse(_ reply: Reply) -> XMLTree? {
        let builder = Builder()
        let parser = XMLParser(data: reply.body)
        parser.delegate = builder
        return parser.parse() ? builder.root : nil
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = XMLTree(name: elementName)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
