/// The printed door plate of 以码管房: a 90 mm × 60 mm SVG with the title, a QR code that opens the house
/// in the mobile app, the house code in large type and the address.
///
/// ```
/// ┌──────────────────────────────────────┐
/// │            房屋门牌二维码             │
/// ├──────────────────────────────────────┤
/// │ ┌────────┐  地址                      │
/// │ │ QR     │  贵州省某某县某某镇         │
/// │ │ code   │  某某村某某组12号           │
/// │ └────────┘  扫码查看房屋信息           │
/// ├──────────────────────────────────────┤
/// │        H520399001001001A7K3          │
/// └──────────────────────────────────────┘
/// ```
///
/// Lengths are in millimetres (the viewBox is 90 × 60 and the size is given in mm, so the plate prints
/// at its true size). The output depends on the arguments only.
public enum DoorPlate {
    public static let width = 90.0
    public static let height = 60.0

    /// Most lines the address takes; a longer one ends in "…".
    public static let addressLines = 3

    // Layout, in millimetres.
    static let qrOrigin = (x: 4.0, y: 13.5)
    /// Side of the QR area, quiet zone included.
    static let qrSide = 35.0
    static let quietZone = 4
    static let columnX = 42.0
    static let columnWidth = 44.0
    static let addressFontSize = 4.2
    static let addressLineHeight = 5.5
    static let titleFontSize = 5.2
    static let codeFontSize = 6.0
    /// Widest text line on the plate (inside the 4 mm margins).
    static let lineWidth = 82.0

    /// The plate for the house `code` at `address`, its QR code encoding `url`
    /// (e.g. `https://host/m/#house/H520399001001001A7K3`).
    ///
    /// Throws on field `code` or `url` when either is empty, or on `url` when the link is too long for a
    /// QR code of version 20.
    public static func svg(code: String, address: String, title: String = "房屋门牌二维码",
                           url: String) throws(ValidationError) -> String {
        let code = normalized(code)
        guard !code.isEmpty else { throw ValidationError(field: "code", "门牌编码不能为空") }
        guard !url.isEmpty else { throw ValidationError(field: "url", "二维码链接不能为空") }
        let qr = try qrCode(for: url)
        let title = normalized(title)
        let lines = wrap(normalized(address), width: columnWidth, fontSize: addressFontSize, maxLines: addressLines)

        let modules = Double(qr.size + 2 * quietZone)
        let moduleSize = qrSide / modules
        let qrX = qrOrigin.x + Double(quietZone) * moduleSize
        let qrY = qrOrigin.y + Double(quietZone) * moduleSize
        // Shrink the title and the code when they would overflow the plate.
        let titleSize = min(titleFontSize, lineWidth / max(ems(title), 1))
        let codeSize = min(codeFontSize, lineWidth / (0.6 * Double(max(code.count, 1))))
        let n = QRCode.svgNumber

        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))mm\" height=\"\(n(height))mm\" "
        svg += "viewBox=\"0 0 \(n(width)) \(n(height))\">\n"
        svg += "<title>\(escape(title.isEmpty ? code : "\(title) \(code)"))</title>\n"
        svg += "<rect width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#fff\"/>\n"
        svg += "<rect x=\"1.5\" y=\"1.5\" width=\"\(n(width - 3))\" height=\"\(n(height - 3))\" rx=\"2.5\" "
        svg += "fill=\"none\" stroke=\"#000\" stroke-width=\"0.8\"/>\n"
        if !title.isEmpty {
            svg += "<text x=\"\(n(width / 2))\" y=\"9\" text-anchor=\"middle\" font-family=\"sans-serif\" "
            svg += "font-size=\"\(n(titleSize))\" font-weight=\"bold\">\(escape(title))</text>\n"
        }
        svg += "<line x1=\"4\" y1=\"11.5\" x2=\"86\" y2=\"11.5\" stroke=\"#000\" stroke-width=\"0.4\"/>\n"
        svg += "<rect x=\"\(n(qrOrigin.x))\" y=\"\(n(qrOrigin.y))\" width=\"\(n(qrSide))\" height=\"\(n(qrSide))\" "
        svg += "fill=\"#fff\"/>\n"
        svg += "<path fill=\"#000\" shape-rendering=\"crispEdges\" "
        svg += "transform=\"translate(\(n(qrX)) \(n(qrY))) scale(\(svgScale(moduleSize)))\" d=\"\(qr.svgPath())\"/>\n"
        svg += "<text x=\"\(n(columnX))\" y=\"19\" font-family=\"sans-serif\" font-size=\"3\" fill=\"#555\">地址</text>\n"
        for (index, line) in lines.enumerated() {
            let y = 25 + Double(index) * addressLineHeight
            svg += "<text x=\"\(n(columnX))\" y=\"\(n(y))\" font-family=\"sans-serif\" "
            svg += "font-size=\"\(n(addressFontSize))\">\(escape(line))</text>\n"
        }
        svg += "<text x=\"\(n(columnX))\" y=\"46\" font-family=\"sans-serif\" font-size=\"2.8\" fill=\"#555\">"
        svg += "扫码查看房屋信息</text>\n"
        svg += "<line x1=\"4\" y1=\"50.5\" x2=\"86\" y2=\"50.5\" stroke=\"#000\" stroke-width=\"0.4\"/>\n"
        svg += "<text x=\"\(n(width / 2))\" y=\"56.6\" text-anchor=\"middle\" font-family=\"monospace\" "
        svg += "font-size=\"\(n(codeSize))\" font-weight=\"bold\">\(escape(code))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// The QR code for the link. Plates hang outdoors for years, so the level is Q (a quarter of the
    /// symbol may be soiled or scratched); M and then L only when the link is too long for Q.
    static func qrCode(for url: String) throws(ValidationError) -> QRCode {
        var failure = ValidationError(field: "url", "二维码链接过长")
        for correction in [QRCode.Correction.quartile, .medium, .low] {
            do throws(ValidationError) {
                return try QRCode.encode(url, correction: correction)
            } catch {
                failure = ValidationError(field: "url", error.message)
            }
        }
        throw failure
    }

    /// The scale factor with more precision than coordinates need, so 4-decimal module sizes stay exact
    /// enough across a 100-module symbol.
    static func svgScale(_ value: Double) -> String {
        let millionths = QRCode.roundedInteger(value * 1_000_000)
        var digits = String(millionths % 1_000_000)
        while digits.count < 6 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? String(millionths / 1_000_000) : "\(millionths / 1_000_000).\(digits)"
    }

    // MARK: - Text

    /// Whitespace runs (newlines included) become one space; control characters go; ends are trimmed.
    static func normalized(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// Advance of a character in ems, as a rough sans-serif estimate: ASCII about 0.6, CJK and other
    /// full-width characters 1.
    static func ems(_ character: Character) -> Double {
        character.isASCII ? 0.6 : 1
    }

    static func ems(_ text: String) -> Double {
        text.reduce(0) { $0 + ems($1) }
    }

    /// Breaks `text` into lines no wider than `width` at `fontSize`, character by character (Chinese has
    /// no spaces to break at), at most `maxLines` of them; the last ends in "…" when text is left over.
    static func wrap(_ text: String, width: Double, fontSize: Double, maxLines: Int) -> [String] {
        let limit = width / fontSize
        var lines: [String] = []
        var line = ""
        var lineEms = 0.0
        for character in text {
            let advance = ems(character)
            if lineEms + advance > limit && !line.isEmpty {
                lines.append(trimmedEnd(line))
                line = ""
                lineEms = 0
            }
            if line.isEmpty && character == " " { continue }
            line.append(character)
            lineEms += advance
        }
        if !line.isEmpty { lines.append(trimmedEnd(line)) }
        guard lines.count > maxLines, maxLines > 0 else { return lines }
        var last = lines[maxLines - 1]
        while !last.isEmpty && ems(last) + 1 > limit { last.removeLast() }
        return lines.prefix(maxLines - 1) + [trimmedEnd(last) + "…"]
    }

    static func trimmedEnd(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Text made safe for XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
