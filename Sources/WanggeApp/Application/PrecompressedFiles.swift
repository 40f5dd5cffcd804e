import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves a library's gzip copy (`leaflet.min.js.gz`, which Debian ships next to the file) to
/// browsers that accept gzip: a quarter of the bytes for a phone on a slow network. Anything else
/// falls through to the ordinary file middleware.
struct PrecompressedFiles<Context: RequestContext>: RouterMiddleware {
    /// URL prefix → folder, e.g. `/vendor/leaflet` → `/usr/share/javascript/leaflet`.
    let mounts: [(prefix: String, folder: String)]

    static var types: [String: String] {
        ["js": "application/javascript", "css": "text/css", "map": "application/json"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, request.headers[.acceptEncoding]?.contains("gzip") == true,
              let (folder, relative) = mounts.lazy.compactMap({ m in
                  request.uri.path.hasPrefix(m.prefix + "/") ? (m.folder, String(request.uri.path.dropFirst(m.prefix.count))) : nil
              }).first,
              !relative.contains(".."), let ext = relative.split(separator: ".").last.map(String.init), let type = Self.types[ext],
              let data = FileManager.default.contents(atPath: folder + relative + ".gz") else {
            return try await next(request, context)
        }
        return Response(status: .ok, headers: [.contentType: type, .contentEncoding: "gzip", .vary: "Accept-Encoding",
                                               .cacheControl: "public, max-age=86400"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
