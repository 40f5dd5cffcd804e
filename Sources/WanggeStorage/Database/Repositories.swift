/// The repositories of every capability over one database.
public struct Repositories: Sendable {
    public let database: WanggeDatabase
    public let grids: any GridRepository
    public let staff: any StaffRepository
    public let departments: any DepartmentRepository
    public let accounts: any AccountRepository
    public let audit: any AuditRepository
    public let catalog: any CatalogRepository
    public let events: any EventRepository
    public let attachments: any AttachmentRepository
    public let idempotency: any IdempotencyRepository
    public let phoneCodes: any PhoneCodeRepository

    public init(_ db: WanggeDatabase) {
        database = db
        grids = SQLGridRepository(db)
        staff = SQLStaffRepository(db)
        departments = SQLDepartmentRepository(db)
        accounts = SQLAccountRepository(db)
        audit = SQLAuditRepository(db)
        catalog = SQLCatalogRepository(db)
        events = SQLEventRepository(db)
        attachments = SQLAttachmentRepository(db)
        idempotency = SQLIdempotencyRepository(db)
        phoneCodes = SQLPhoneCodeRepository(db)
    }
}
