/// A problem in the closed loop: what, where, who reported it, who has it now, and when each
/// step happened. Times are Unix seconds.
public struct Event: Hashable, Sendable {
    public var id: Int64?
    /// County code + date + sequence (see `EventSerial`).
    public var serial: String
    /// The public tracking number a citizen uses to follow the event.
    public var trackingNumber: String
    public var source: EventSource
    /// The catalog item (事项编码).
    public var itemCode: String
    public var description: String
    public var lon: Double?
    public var lat: Double?
    /// Assigned from the position, or given when there is none (a hotline call with an address).
    public var grid: GridCode
    public var address: String?
    public var reporterAccountID: Int64?
    public var reporterName: String?
    public var reporterPhone: String?
    /// 当事人 (free text: names and roles).
    public var parties: String?
    /// 涉及金额, in yuan.
    public var amount: Double?
    public var urgent: Bool
    public var status: EventStatus
    public var holder: HandlingUnit
    public var dispatcher: HandlingUnit?
    public var deadline: Int64?
    public var requestedDeadline: Int64?
    /// The level at which it was handled: grid, community, township, county or department.
    public var resolvedLevel: String?
    public var satisfaction: Int?
    public var mergedInto: Int64?
    public var reportedAt: Int64
    public var acceptedAt: Int64?
    public var dispatchedAt: Int64?
    public var signedAt: Int64?
    public var handledAt: Int64?
    public var closedAt: Int64?
    public var updatedAt: Int64

    public init(
        id: Int64? = nil, serial: String, trackingNumber: String, source: EventSource, itemCode: String, description: String,
        lon: Double?, lat: Double?, grid: GridCode, address: String?, reporterAccountID: Int64?, reporterName: String?,
        reporterPhone: String?, parties: String?, amount: Double?, urgent: Bool, status: EventStatus = .reported,
        holder: HandlingUnit, dispatcher: HandlingUnit? = nil, deadline: Int64? = nil, requestedDeadline: Int64? = nil,
        resolvedLevel: String? = nil, satisfaction: Int? = nil, mergedInto: Int64? = nil, reportedAt: Int64,
        acceptedAt: Int64? = nil, dispatchedAt: Int64? = nil, signedAt: Int64? = nil, handledAt: Int64? = nil,
        closedAt: Int64? = nil, updatedAt: Int64
    ) {
        self.id = id
        self.serial = serial
        self.trackingNumber = trackingNumber
        self.source = source
        self.itemCode = itemCode
        self.description = description
        self.lon = lon
        self.lat = lat
        self.grid = grid
        self.address = address
        self.reporterAccountID = reporterAccountID
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.parties = parties
        self.amount = amount
        self.urgent = urgent
        self.status = status
        self.holder = holder
        self.dispatcher = dispatcher
        self.deadline = deadline
        self.requestedDeadline = requestedDeadline
        self.resolvedLevel = resolvedLevel
        self.satisfaction = satisfaction
        self.mergedInto = mergedInto
        self.reportedAt = reportedAt
        self.acceptedAt = acceptedAt
        self.dispatchedAt = dispatchedAt
        self.signedAt = signedAt
        self.handledAt = handledAt
        self.closedAt = closedAt
        self.updatedAt = updatedAt
    }

    public var state: EventState {
        EventState(status: status, holder: holder, dispatcher: dispatcher, grid: grid, reporterAccountID: reporterAccountID,
                   extensionPending: requestedDeadline != nil)
    }

    /// Whether the event is past its deadline at `now` without having been handled.
    public func isOverdue(at now: Int64) -> Bool {
        guard let deadline, status.isOpen, status != .handled else { return false }
        return now > deadline
    }

    /// The checks on what a reporter typed.
    public static func validateReport(description: String, lon: Double?, lat: Double?, address: String?, parties: String?,
                                      amount: Double?, reporterPhone: String?) throws(ValidationError) {
        let text = description.trimmed
        if text.isEmpty { throw ValidationError(field: "description", "请描述事件情况") }
        if text.count > 4000 { throw ValidationError(field: "description", "事件描述不能超过4000字") }
        if (lon == nil) != (lat == nil) { throw ValidationError(field: lon == nil ? "lon" : "lat", "经纬度必须同时提供") }
        if let lon, !(lon.isFinite && (-180...180).contains(lon)) { throw ValidationError(field: "lon", "经度应在−180到180之间") }
        if let lat, !(lat.isFinite && (-90...90).contains(lat)) { throw ValidationError(field: "lat", "纬度应在−90到90之间") }
        if let address, address.count > 200 { throw ValidationError(field: "address", "地址不能超过200字") }
        if let parties, parties.count > 1000 { throw ValidationError(field: "parties", "当事人信息不能超过1000字") }
        if let amount, !(amount.isFinite && amount >= 0) { throw ValidationError(field: "amount", "涉及金额不能为负数") }
        if let reporterPhone { try validatePhone(reporterPhone, field: "reporterPhone") }
    }
}

/// One row of an event's timeline: who did what, when, from which unit to which, and why.
public struct EventStep: Hashable, Sendable {
    public var id: Int64?
    public var eventID: Int64
    public var at: Int64
    public var actorID: Int64?
    /// The actor's display name, or 系统 / 群众.
    public var actor: String
    /// An `EventAction` raw value, or `report` for the first row.
    public var action: String
    public var fromStatus: EventStatus?
    public var toStatus: EventStatus
    public var fromUnit: HandlingUnit?
    public var toUnit: HandlingUnit?
    public var note: String?
    /// Ids of the attachments added with this step.
    public var attachments: [Int64]

    public init(id: Int64? = nil, eventID: Int64, at: Int64, actorID: Int64?, actor: String, action: String,
                fromStatus: EventStatus?, toStatus: EventStatus, fromUnit: HandlingUnit?, toUnit: HandlingUnit?,
                note: String?, attachments: [Int64] = []) {
        self.id = id
        self.eventID = eventID
        self.at = at
        self.actorID = actorID
        self.actor = actor
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.fromUnit = fromUnit
        self.toUnit = toUnit
        self.note = note
        self.attachments = attachments
    }
}
