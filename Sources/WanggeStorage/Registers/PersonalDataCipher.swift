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
    private let keys: Keys

    /// The two subkeys, made once: rebuilding a `SymmetricKey` and an HMAC's padded key states
    /// for every value cost more than sealing it, three times per person in a million-row import.
    ///
    /// `SymmetricKey` and `HMAC` are not `Sendable`, but neither is ever mutated here: `lookup`
    /// is only copied, and a copy's hashers copy their state before their first update.
    private final class Keys: @unchecked Sendable {
        let seal: SymmetricKey
        let lookup: HMAC<SHA256>
        let nonces = NoncePool()

        init(seal: SymmetricKey, lookup: SymmetricKey) {
            self.seal = seal
            self.lookup = HMAC<SHA256>(key: lookup)
        }
    }

    /// - Parameter key: at least 32 bytes of secret material (`WANGGE_DATA_KEY`).
    public init(key: [UInt8]) throws {
        guard key.count >= 32 else { throw ConfigurationError("数据加密密钥至少需要32字节") }
        let master = SymmetricKey(data: key)
        func derive(_ info: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(info.utf8), outputByteCount: 32)
        }
        keys = Keys(seal: derive("wangge personal data seal v1"), lookup: derive("wangge personal data lookup v1"))
    }

    /// Base64 of nonce ‖ ciphertext ‖ tag; a fresh nonce each time, so equal values seal differently.
    public func seal(_ plaintext: String) -> String {
        // AES-GCM with a random 96-bit nonce cannot fail for inputs of this size.
        let box = try! AES.GCM.seal(Data(plaintext.utf8), using: keys.seal, nonce: keys.nonces.next())
        return box.combined!.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw StoredDataError("加密字段不是有效的 Base64") }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: keys.seal)
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
        var value = value
        return value.withUTF8 { mac(UnsafeRawBufferPointer($0)) }
    }

    /// A keyed digest of a whole record's fields, to tell an unchanged re-imported row from a changed one
    /// without decrypting what is stored.
    ///
    /// Each field is written as its UTF-8 length in decimal, `:` and its bytes, a nil one as `-;`;
    /// stored fingerprints depend on this encoding, so it must not change.
    public func fingerprint(_ fields: [String?]) -> String {
        var data: [UInt8] = []
        data.reserveCapacity(256)
        for field in fields {
            guard var field else {
                data.append(UInt8(ascii: "-"))
                data.append(UInt8(ascii: ";"))
                continue
            }
            field.withUTF8 { bytes in
                appendDecimal(bytes.count, to: &data)
                data.append(UInt8(ascii: ":"))
                data.append(contentsOf: bytes)
            }
        }
        return data.withUnsafeBytes { mac($0) }
    }

    private func mac(_ bytes: UnsafeRawBufferPointer) -> String {
        var hmac = keys.lookup
        hmac.update(data: bytes)
        return hmac.finalize().withUnsafeBytes { hex($0.prefix(16)) }
    }
}

/// Random 96-bit AES-GCM nonces, read from the system's generator 4 KiB at a time: drawn one by
/// one, each costs two system calls (8 bytes a call), more than the sealing itself. They are
/// the same random bytes, each handed out once.
private final class NoncePool: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var bytes = [UInt8](repeating: 0, count: 4_096)
    private var used = 4_096

    func next() -> AES.GCM.Nonce {
        lock.lock()
        defer { lock.unlock() }
        if used + 12 > bytes.count {
            bytes.withUnsafeMutableBytes { Self.fill($0) }
            used = 0
        }
        defer { used += 12 }
        // Twelve bytes are always a valid nonce.
        return try! AES.GCM.Nonce(data: bytes[used..<(used + 12)])
    }

    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        // The kernel's generator, the one `SystemRandomNumberGenerator` reads, in one read.
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(fd >= 0, "cannot open /dev/urandom: \(errno)")
        defer { close(fd) }
        var filled = 0
        while filled < buffer.count {
            let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n > 0 { filled += n } else { precondition(n < 0 && errno == EINTR, "cannot read /dev/urandom: \(errno)") }
        }
        #else
        arc4random_buf(buffer.baseAddress!, buffer.count)
        #endif
    }
}

private func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value >= 10 { appendDecimal(value / 10, to: &out) }
    out.append(UInt8(ascii: "0") + UInt8(value % 10))
}

/// Lower-case hex; `String(format:)` per byte would dominate a million-row import.
func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        var i = 0
        for b in bytes {
            out[i] = digits.utf8Start[Int(b >> 4)]
            out[i + 1] = digits.utf8Start[Int(b & 0x0f)]
            i += 2
        }
        return i
    }
}
