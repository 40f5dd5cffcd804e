import Foundation
import WanggeCore
import WanggeStorage

/// Everything the server needs to start, read from the environment and command-line flags.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseConfiguration
    /// Key for hashing session tokens; a random one is made per start when none is configured.
    public var secret: [UInt8]
    public var secretIsEphemeral: Bool
    /// A tile URL template for the map (e.g. `https://tiles.example/{z}/{x}/{y}.png`); none means polygons on a plain background.
    public var tileURL: String?
    /// The folder of the web pages (`Public/` of the repository).
    public var publicDirectory: String
    /// Debian's libjs-leaflet and libjs-chart.js install here.
    public var vendorDirectory: String
    /// bcrypt work factor; tests lower it to stay fast.
    public var bcryptCost: UInt8
    /// Where uploaded files (event photos) are kept.
    public var dataDirectory: String
    /// The SMS gateway for notifications (only logged when none is configured).
    public var sms: SMSConfiguration
    /// Working days after dispatch at which supervision issues its cards.
    public var cardDays: SupervisionThresholds
    /// `WANGGE_DATA_KEY`: the key that seals ID and phone numbers. Without it, a key file under
    /// the data directory is made once and reused (see `personalDataKey()`).
    public var dataKey: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, secret: [UInt8],
        secretIsEphemeral: Bool = false, tileURL: String? = nil, publicDirectory: String, vendorDirectory: String = "/usr/share/javascript",
        bcryptCost: UInt8 = 11, dataDirectory: String = "data", sms: SMSConfiguration = .logging,
        cardDays: SupervisionThresholds = .standard, dataKey: String? = nil
    ) {
        self.dataKey = dataKey
        self.host = host
        self.port = port
        self.database = database
        self.secret = secret
        self.secretIsEphemeral = secretIsEphemeral
        self.tileURL = tileURL
        self.publicDirectory = publicDirectory
        self.vendorDirectory = vendorDirectory
        self.bcryptCost = bcryptCost
        self.dataDirectory = dataDirectory
        self.sms = sms
        self.cardDays = cardDays
    }

    /// Reads `DATABASE_URL`, `PORT`, `HOST`, `WANGGE_SECRET`, `WANGGE_TILE_URL`, `WANGGE_PUBLIC_DIR`, `WANGGE_VENDOR_DIR`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       workingDirectory: String = FileManager.default.currentDirectoryPath) throws -> AppConfiguration {
        let database = try DatabaseConfiguration.parse(env["DATABASE_URL"], workingDirectory: workingDirectory)
        var port = 8080
        if let raw = env["PORT"], !raw.isEmpty {
            guard let p = Int(raw), (1...65535).contains(p) else { throw ConfigurationError("PORT 必须是1–65535之间的整数，收到“\(raw)”") }
            port = p
        }
        var secret: [UInt8]
        var ephemeral = false
        if let s = env["WANGGE_SECRET"], !s.isEmpty {
            guard s.utf8.count >= 32 else { throw ConfigurationError("WANGGE_SECRET 至少需要32个字符") }
            secret = Array(s.utf8)
        } else {
            secret = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
            ephemeral = true
        }
        let publicDirectory = env["WANGGE_PUBLIC_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (workingDirectory as NSString).appendingPathComponent("Public")
        return AppConfiguration(
            host: env["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
            port: port, database: database, secret: secret, secretIsEphemeral: ephemeral,
            tileURL: env["WANGGE_TILE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            publicDirectory: publicDirectory,
            vendorDirectory: env["WANGGE_VENDOR_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/javascript",
            dataDirectory: env["WANGGE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (workingDirectory as NSString).appendingPathComponent("data"),
            sms: try SMSConfiguration.fromEnvironment(env),
            cardDays: try cardDays(env["WANGGE_CARD_DAYS"]),
            dataKey: env["WANGGE_DATA_KEY"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Where the generated key lives when `WANGGE_DATA_KEY` is not set.
    public var dataKeyFile: String { (dataDirectory as NSString).appendingPathComponent("personal-data.key") }

    /// The personal-data key: `WANGGE_DATA_KEY` (64 hex digits, or base64 of at least 32 bytes),
    /// else the key file, made on first use with owner-only permissions. Losing the key loses
    /// every sealed ID and phone number, so it is never regenerated over an existing file, and
    /// servers sharing one PostgreSQL database must share it through `WANGGE_DATA_KEY`.
    public func personalDataKey() throws -> [UInt8] {
        if let raw = dataKey {
            guard let key = Self.decodeKey(raw), key.count >= 32 else {
                throw ConfigurationError("WANGGE_DATA_KEY 应为64位十六进制数或至少32字节的Base64")
            }
            return key
        }
        let fm = FileManager.default
        if let text = fm.contents(atPath: dataKeyFile).map({ String(decoding: $0, as: UTF8.self) }) {
            guard let key = Self.decodeKey(text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
                throw ConfigurationError("密钥文件 \(dataKeyFile) 已损坏；请从备份恢复，切勿删除(否则已加密的身份证号无法解密)")
            }
            return key
        }
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let text = key.map { String(format: "%02x", $0) }.joined() + "\n"
        guard fm.createFile(atPath: dataKeyFile, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("无法写入密钥文件 \(dataKeyFile)")
        }
        return key
    }

    static func decodeKey(_ raw: String) -> [UInt8]? {
        let utf8 = Array(raw.utf8)
        if utf8.count == 64, utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }) {
            return stride(from: 0, to: 64, by: 2).map { UInt8(String(decoding: utf8[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
        }
        return Data(base64Encoded: raw).map(Array.init)
    }

    /// The effective configuration without secrets, one setting a line.
    public var summary: String {
        """
        数据库: \(database)
        监听: http://\(host):\(port)
        签名密钥: \(secretIsEphemeral ? "未设置 WANGGE_SECRET，本次启动随机生成(重启后所有会话失效)" : "已设置")
        地图瓦片: \(tileURL ?? "未配置(仅显示网格多边形)")
        网页目录: \(publicDirectory)
        前端库目录: \(vendorDirectory)
        附件目录: \(dataDirectory)/attachments
        个人信息密钥: \(dataKey == nil ? "未设置 WANGGE_DATA_KEY，使用密钥文件 \(dataKeyFile)(请备份)" : "已设置 WANGGE_DATA_KEY")
        短信网关: \(sms)
        督办牌(工作日): 未签收 黄\(cardDays.unsignedYellowDays)/红\(cardDays.unsignedRedDays)，未办结 黄\(cardDays.unfinishedYellowDays)/红\(cardDays.unfinishedRedDays)
        """
    }

    /// `WANGGE_CARD_DAYS=2,5,5,10`: unsigned yellow, unsigned red, unfinished yellow, unfinished red.
    static func cardDays(_ raw: String?) throws -> SupervisionThresholds {
        guard let raw, !raw.isEmpty else { return .standard }
        let days = raw.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard days.count == 4, let a = days[0], let b = days[1], let c = days[2], let d = days[3] else {
            throw ConfigurationError("WANGGE_CARD_DAYS 应为4个整数，如 2,5,5,10(未签收黄牌、红牌，未办结黄牌、红牌的工作日数)")
        }
        let thresholds = SupervisionThresholds(unsignedYellowDays: a, unsignedRedDays: b, unfinishedYellowDays: c, unfinishedRedDays: d)
        do { try thresholds.validate() } catch { throw ConfigurationError("WANGGE_CARD_DAYS：\(error.message)") }
        return thresholds
    }
}
