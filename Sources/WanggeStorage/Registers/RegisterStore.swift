/// The repositories of the registers, over one database and one personal-data key.
///
/// Kept apart from `Repositories` because only the registers hold sealed personal data: what
/// needs the key asks for it.
public struct RegisterStore: Sendable {
    public let database: WanggeDatabase
    public let cipher: PersonalDataCipher
    public let people: any PersonRepository
    public let places: any PlaceRepository
    public let residences: any ResidenceRepository
    public let roles: any PopulationRoleRepository
    public let organisations: any OrganisationRepository
    public let counts: any RegisterCountRepository
    public let imports: any ImportJobRepository

    public init(_ db: WanggeDatabase, cipher: PersonalDataCipher) {
        database = db
        self.cipher = cipher
        people = SQLPersonRepository(db, cipher: cipher)
        places = SQLPlaceRepository(db)
        residences = SQLResidenceRepository(db)
        roles = SQLPopulationRoleRepository(db)
        organisations = SQLOrganisationRepository(db)
        counts = SQLRegisterCountRepository(db)
        imports = SQLImportJobRepository(db)
    }
}
