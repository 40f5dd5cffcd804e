import Crypto
import Foundation

/// Seals personal identifiers (ID numbers, phone numbers) before they reach the database, so
/// that a dump or a stolen backup does not reveal them, and gives each a keyed lookup hash so
/// that exact search stays an index probe.
///
/// Two subkeys are derived from one configured key: one for AES-GCM, one for HMAC-SHA256. The
/// lookup hash is deterministic on purpose (that is what makes it searchable); being keyed, it
/// cannot be reversed by hashing all 10⁹ plausible ID numbers without the key.
public struct PersonalDataCipher: Sendable {
    // Bytes rather than `SymmetricKey`, which is not `Sendable`; a key is rebuilt per use.
    private let sealBytes: [UInt8]
    private let lookupBytes: [UInt8]
    private var sealKey: SymmetricKey { SymmetricKey(data: sealBytes) }
    private var lookupKey: SymmetricKey { SymmetricKey(data: lookupBytes) }

    /// - Parameter key: at least 32 bytes of secret material (`WANGGE_DATA_KEY`).
    public init(key: [UInt8]) throws {
        guard key.count >= 32 else { throw ConfigurationError("数据加密密钥至少需要32字节") }
        let master = SymmetricKey(data: key)
        func derive(_ info: String) -> [UInt8] {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(info.utf8), outputByteCount: 32).withUnsafeBytes { Array($0) }
        }
        sealBytes = derive("wangge personal data seal v1")
        lookupBytes = derive("wangge personal data lookup v1")
    }

    /// Base64 of nonce ‖ ciphertext ‖ tag; a fresh nonce each time, so equal values seal differently.
    public func seal(_ plaintext: String) -> String {
        // AES-GCM with a random 96-bit nonce cannot fail for inputs of this size.
        let box = try! AES.GCM.seal(Data(plaintext.utf8), using: sealKey)
        return box.combined!.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw StoredDataError("加密字段不是有效的 Base64") }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: sealKey)
            guard let text = String(data: plain, encoding: .utf8) else { throw StoredDataError("加密字段解密后不是 UTF-8") }
            return text
        } catch let error as StoredDataError {
            throw error
        } catch {
            throw StoredDataError("加密字段无法解密：密钥不符或数据被改动")
        }
    }

    /// 32 hex characters (128 bits of HMAC-SHA256): plenty to keep collisions out of reach at
    /// county and city scale, and half the index size of the full digest.
    public func lookupHash(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: lookupKey)
        return hex(Array(mac).prefix(16))
    }

    /// A keyed digest of a whole record's fields, to tell an unchanged re-imported row from a changed one
    /// without decrypting what is stored.
    public func fingerprint(_ fields: [String?]) -> String {
        var data = Data()
        for field in fields {
            if let field {
                let bytes = Data(field.utf8)
                data.append(contentsOf: "\(bytes.count):".utf8)
                data.append(bytes)
            } else {
                data.append(contentsOf: "-;".utf8)
            }
        }
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: lookupKey)
        return hex(Array(mac).prefix(16))
    }
}

/// Lower-case hex; `String(format:)` per byte would dominate a million-row import.
func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
