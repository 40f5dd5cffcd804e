import WanggeCore

/// People, their house links and households.
///
/// Everyone gets a valid, unique resident ID number (foreigners a passport) whose birth date
/// and sex are the person's. Locals are registered in the county (户籍 at their village or
/// community); about 12% are floating people from elsewhere in 贵州 and the provinces around,
/// most holding a 居住证; about 0.3% are foreigners (brides from Vietnam and Myanmar, Korean
/// traders, American teachers). Adults mostly have a mobile phone, unique in the county.
extension RegisterBuilder {
    /// Moves a planned household into `house`: its people, one link each and the household.
    mutating func moveIn(_ plan: HouseholdPlan, place: Place, house: Int, serial: Int, rng: inout SeededRandom) {
        let today = DemoRegisters.referenceDay.daysSinceEpoch
        if plan.rents { out.houses[house].rentalUse = place.kind == .special(.park) ? "01" : "02" }
        let head = plan.members[0]
        // How long ago the household came: tenants recently; resettled families in 2016–2020,
        // the years of 易地扶贫搬迁; villagers often for decades; town flats are newer.
        let yearsHere: Int
        switch (plan.rents, place.kind) {
        case (true, _): yearsHere = rng.int(in: 0...4)
        case (false, .village): yearsHere = rng.int(in: 0...Swift.max(0, Swift.min(head.age - 18, 45)))
        case (false, .compound): yearsHere = rng.int(in: 0...Swift.max(0, Swift.min(head.age - 20, 35)))
        default: yearsHere = place.isResettlement ? rng.int(in: 6...9) : rng.int(in: 0...Swift.max(0, Swift.min(head.age - 20, 20)))
        }
        let movedIn = today - 1 - yearsHere * 365 - rng.below(365)
        moveInDays.append(movedIn)

        let surname = rng.pick(Names.surnames)
        let ethnicity = RegisterNames.ethnicity(&rng)
        let houseAddress = out.houses[house].address
        let householdIndex = out.households.count
        let present = plan.members.filter { !$0.away }
        let elderlyOnly = !present.isEmpty && present.allSatisfy { $0.age >= 60 }
        let hasAway = present.count < plan.members.count
        var members: [HouseholdMember] = []
        for (k, spec) in plan.members.enumerated() {
            var person = makePerson(spec, plan: plan, isHead: k == 0, surname: surname, ethnicity: ethnicity,
                                    place: place, address: houseAddress, rng: &rng)
            let birth = person.birthDate?.daysSinceEpoch ?? movedIn
            let role: ResidenceRole = spec.away ? .registeredOnly : k == 0 ? (plan.rents ? .tenant : .owner) : .resident
            if spec.away { person.currentAddress = rng.pick(RegisterNames.awayPlaces) }
            let index = out.people.count
            out.residences.append(Residence(personID: Int64(index), houseID: Int64(house), role: role,
                                            movedIn: Day(daysSinceEpoch: Swift.max(movedIn, birth))))
            facts.append(PersonFacts(age: Int16(spec.age), household: Int32(householdIndex),
                                     template: plan.template, away: spec.away, isHead: k == 0, elderlyOnly: elderlyOnly,
                                     householdHasAway: hasAway, kind: person.kind, male: person.sex == .male,
                                     village: place.kind == .village, townSeat: place.isTownSeat,
                                     resettlement: place.isResettlement))
            out.people.append(person)
            members.append(HouseholdMember(personID: Int64(index), relation: spec.relation))
        }
        out.households.append(Household(number: place.grid.code.value + pad(serial, 4), houseID: Int64(house),
                                        grid: place.grid.code, headPersonID: members[0].personID, members: members))
    }

    private mutating func makePerson(_ spec: MemberSpec, plan: HouseholdPlan, isHead: Bool, surname: String,
                                     ethnicity: String, place: Place, address: String, rng: inout SeededRandom) -> Person {
        var origin = plan.origin
        // Some wives of local men come from other provinces (婚嫁) or from abroad.
        if case .local = origin, spec.relation == "配偶" || spec.relation == "儿媳", spec.sex == .female, !spec.away {
            let roll = rng.unit()
            let abroad = place.kind == .village ? 0.015 : 0.008
            if roll < abroad, (20...55).contains(spec.age) {
                origin = .foreign(rng.chance(0.6) ? RegisterNames.vietnam : RegisterNames.myanmar)
            } else if roll < abroad + 0.05 {
                origin = .floating(Households.weighted(RegisterNames.originWeights, &rng))
            }
        }
        func chineseName(_ rng: inout SeededRandom) -> String {
            let family = spec.headSurname ? surname : rng.pick(Names.surnames)
            let pool = spec.sex == .male ? RegisterNames.maleGiven : RegisterNames.femaleGiven
            var given = rng.pick(pool)
            if rng.chance(0.7) { given += rng.pick(pool) }
            return family + given
        }
        var birth = Births.day(age: spec.age, random: rng.below(366))
        let phone = rng.chance(Self.phoneShare(age: spec.age)) ? newPhone(&rng) : nil

        switch origin {
        case .local:
            let number = ids.number(region: 0, birth: &birth, sex: spec.sex)
            let own = rng.chance(0.9) ? ethnicity
                : RegisterNames.ethnicity(&rng)
            return Person(name: chineseName(&rng), certificateNumber: number, sex: spec.sex, birthDate: birth, ethnicity: own,
                          phone: phone,
                          registeredDivision: place.communityCode, registeredAddress: address, currentAddress: address,
                          grid: place.grid.code, kind: .registered)
        case .floating(let o):
            let number = ids.number(region: o + 1, birth: &birth, sex: spec.sex)
            let reason: String
            if spec.relation == "配偶" || spec.relation == "儿媳", case .local = plan.origin {
                reason = "05"  // 婚嫁
            } else if !isHead && (spec.age < 16 || rng.chance(0.5)) {
                reason = "06"  // 随迁
            } else {
                reason = ["01", "03", "09", "04", "08", "02", "07", "99"][Households.weighted([62, 22, 4, spec.age < 25 ? 6 : 0, 3, 2, 1, 2], &rng)]
            }
            var permit: (String, String?, Day?)? = nil
            if spec.age >= 16, !rng.chance(0.1) {
                permitSerial += 1
                let issued = Day(daysSinceEpoch: DemoRegisters.referenceDay.daysSinceEpoch - rng.int(in: 0...420))
                let kind = rng.chance(0.9) ? "01" : "02"  // 居住证, a few old 暂住证
                permit = (kind, place.grid.code.countyCode + String(issued.year) + pad(permitSerial, 6),
                          issued.adding(days: 365))
            }
            let from = RegisterNames.origins[o]
            return Person(name: chineseName(&rng), certificateNumber: number, sex: spec.sex, birthDate: birth,
                          ethnicity: ethnicity, phone: phone, registeredDivision: String(from.code), registeredAddress: from.name,
                          currentAddress: address, grid: place.grid.code, kind: .floating, inflowReason: reason,
                          permitType: permit?.0, permitNumber: permit?.1, permitExpiry: permit?.2)
        case .foreign(let f):
            let names = spec.sex == .male ? f.male : f.female
            let (latin, chinese) = rng.pick(names)
            let married = spec.relation == "配偶" || spec.relation == "儿媳"
            let purpose: String
            if married {
                purpose = rng.chance(0.7) ? "04" : "05"  // 定居, 探亲
            } else {
                switch f.nationality {
                case "KOR": purpose = rng.chance(0.7) ? "01" : "02"
                case "USA": purpose = ["02", "03", "99"][Households.weighted([75, 15, 10], &rng)]
                default: purpose = rng.chance(0.85) ? "02" : "01"
                }
            }
            return Person(name: chinese, certificateType: .passport, certificateNumber: newPassport(f, &rng), sex: spec.sex,
                          birthDate: birth, phone: phone, currentAddress: address, grid: place.grid.code, kind: .foreign,
                          nationality: f.nationality, foreignName: latin, visitPurpose: purpose)
        }
    }

    /// Nearly every working-age adult has a mobile phone, fewer of the old, some teenagers.
    static func phoneShare(age: Int) -> Double {
        switch age {
        case ..<14: 0
        case 14..<18: 0.45
        case 18..<60: 0.95
        case 60..<75: 0.7
        default: 0.35
        }
    }

    private mutating func newPhone(_ rng: inout SeededRandom) -> String {
        while true {
            let n = rng.pick(RegisterNames.mobilePrefixes) * 100_000_000 + rng.below(100_000_000)
            if phones.insert(n).inserted { return String(n) }
        }
    }

    private mutating func newPassport(_ f: RegisterNames.Foreign, _ rng: inout SeededRandom) -> String {
        while true {
            var limit = 1
            for _ in 0..<f.passportDigits { limit *= 10 }
            let number = f.passportLetters + pad(rng.below(limit), f.passportDigits)
            if passports.insert(f.nationality + number).inserted { return number }
        }
    }

    /// About 3% of local households came from another house in the county a few years ago:
    /// their earlier links stay, closed on the day they moved (the history `Residence` keeps).
    mutating func addMoves(_ rng: inout SeededRandom) {
        guard out.houses.count > 1 else { return }
        for (h, household) in out.households.enumerated() where rng.chance(0.03) {
            let head = Int(household.headPersonID)
            guard out.people[head].kind == .registered, facts[head].age >= 28 else { continue }
            let movedIn = moveInDays[h]
            let earlier = movedIn - rng.int(in: 2...10) * 365
            guard let headBirth = out.people[head].birthDate?.daysSinceEpoch, earlier > headBirth + 18 * 365 else { continue }
            var previous = rng.below(out.houses.count)
            while out.houses[previous].use != "01" || previous == Int(household.houseID ?? -1) {
                previous = rng.below(out.houses.count)
            }
            for member in household.members {
                let p = Int(member.personID)
                guard !facts[p].away, let birth = out.people[p].birthDate?.daysSinceEpoch, birth < movedIn - 30 else { continue }
                out.residences.append(Residence(personID: member.personID, houseID: Int64(previous),
                                                role: member.personID == household.headPersonID ? .owner : .resident,
                                                movedIn: Day(daysSinceEpoch: Swift.max(earlier, birth)),
                                                movedOut: Day(daysSinceEpoch: movedIn)))
            }
        }
    }
}
