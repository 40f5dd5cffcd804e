import Foundation
import Testing
import ZIPFoundation

/// Builds and opens zip archives in memory, so that tests can hand-write the XML of an .xlsx
/// as other programs save it, and look inside what our writer produced.
enum ZipFixture {
    static func make(_ parts: [(path: String, text: String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let bytes = Data(part.text.utf8)
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<min(Int(position) + size, bytes.count))
            }
        }
        return try #require(archive.data)
    }

    static func text(of path: String, in data: Data) throws -> String? {
        let archive = try Archive(data: data, accessMode: .read)
        guard let entry = archive[path] else { return nil }
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func paths(in data: Data) throws -> [String] {
        try Archive(data: data, accessMode: .read).map(\.path)
    }
}

/// Minimal package parts around a hand-written workbook.
enum XLSXFixture {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRel = "http://schemas.openxmlformats.org/package/2006/relationships"

    static func rootRels(workbook: String = "xl/workbook.xml") -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="\(packageRel)">
          <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="\(workbook)"/>
        </Relationships>
        """
    }

    /// One worksheet, no styles or shared strings: enough to test sheet-level details.
    static func singleSheet(_ sheetData: String, date1904: Bool = false) throws -> Data {
        try ZipFixture.make([
            ("_rels/.rels", rootRels()),
            ("xl/workbook.xml", """
                <workbook xmlns="\(main)" xmlns:r="\(rel)"><workbookPr\(date1904 ? " date1904=\"1\"" : "")/>\
                <sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <Relationships xmlns="\(packageRel)">\
                <Relationship Id="rId1" Type="\(rel)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(rel)/styles" Target="styles.xml"/></Relationships>
                """),
            ("xl/styles.xml", """
                <styleSheet xmlns="\(main)"><numFmts count="3">\
                <numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>\
                <numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>\
                <numFmt numFmtId="166" formatCode="0.00&quot;天&quot;"/>\
                <numFmt numFmtId="167" formatCode="[h]:mm"/></numFmts>\
                <cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>\
                <cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>\
                <xf numFmtId="166"/><xf numFmtId="20"/><xf numFmtId="167"/></cellXfs></styleSheet>
                """),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(main)\"><sheetData>\(sheetData)</sheetData></worksheet>"),
        ])
    }
}
