import Hummingbird
import WanggeCore

struct ReportRequest: Decodable {
    var itemCode: String
    var description: String
    var lon: Double?
    var lat: Double?
    var grid: String?
    var address: String?
    var parties: String?
    var amount: Double?
    var source: EventSource?
    var reporterName: String?
    var reporterPhone: String?
}

struct UnitDTO: Codable, Sendable {
    var unit: String
    var name: String
}

struct EventDTO: ResponseCodable {
    var id: Int64
    var serial: String
    var trackingNumber: String
    var source: String
    var sourceLabel: String
    var itemCode: String
    var itemName: String
    var description: String
    var lon: Double?
    var lat: Double?
    var grid: String
    var gridName: String
    var address: String?
    var reporterName: String?
    /// Masked: 138****0001.
    var reporterPhone: String?
    var parties: String?
    var amount: Double?
    var urgent: Bool
    var status: String
    var statusLabel: String
    var holder: UnitDTO
    var dispatcher: UnitDTO?
    var deadline: Int64?
    var overdue: Bool
    var requestedDeadline: Int64?
    var resolvedLevel: String?
    var satisfaction: Int?
    var mergedInto: Int64?
    var reportedAt: Int64
    var acceptedAt: Int64?
    var dispatchedAt: Int64?
    var signedAt: Int64?
    var handledAt: Int64?
    var closedAt: Int64?
}

struct StepDTO: Codable, Sendable {
    var at: Int64
    var actor: String
    var action: String
    var actionLabel: String
    var fromStatus: String?
    var toStatus: String
    var toStatusLabel: String
    var fromUnit: UnitDTO?
    var toUnit: UnitDTO?
    var note: String?
    var attachments: [Int64]
}

struct CardDTO: Codable, Sendable {
    var kind: String
    var color: String
    var label: String
    var at: Int64
}

struct EventDetailDTO: ResponseCodable {
    var event: EventDTO
    var timeline: [StepDTO]
    var allowedActions: [String]
    var cards: [CardDTO]
}

struct ReportedDTO: ResponseCodable {
    var event: EventDTO
    var possibleDuplicates: [EventDTO]
}

struct EventPageDTO: ResponseCodable {
    var items: [EventDTO]
    var total: Int
    var page: Int
    var pageSize: Int
}

struct BulkDispatchRequest: Decodable {
    var ids: [Int64]
    var to: String
    var deadline: Int64?
    var note: String?
}

struct BulkResultDTO: Codable, Sendable {
    var id: Int64
    var ok: Bool
    var error: String?
}

struct BulkDispatchDTO: ResponseCodable {
    var results: [BulkResultDTO]
}

/// Mainland numbers keep their first 3 and last 4 digits; anything else keeps its last 4.
func maskPhone(_ phone: String) -> String {
    let chars = Array(phone)
    guard chars.count > 4 else { return String(repeating: "*", count: chars.count) }
    if chars.count == 11 { return String(chars[0..<3]) + "****" + String(chars[7...]) }
    return String(repeating: "*", count: chars.count - 4) + String(chars[(chars.count - 4)...])
}
