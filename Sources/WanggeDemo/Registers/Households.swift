import WanggeCore

/// How a household is made up, which decides who in it is 留守 or 空巢.
enum Template: UInt8 {
    case alone
    case couple
    /// Parents (or one parent) and their children.
    case nuclear
    /// A couple with the head's parent(s) and their children.
    case withParents
    /// An elderly head with a married son, his wife and their children.
    case threeGenerations
    /// Grandparents with grandchildren whose parents work away (隔代家庭).
    case skipGeneration
}

/// One member of a household before it becomes a `Person`.
struct MemberSpec {
    /// 与户主关系 as the hukou book writes it.
    var relation: String
    var age: Int
    var sex: Sex
    /// Takes the head's surname (children, grandchildren, the head's father).
    var headSurname: Bool
    /// Registered here but working away (人户分离): a `registered_only` link, no current home here.
    var away = false
}

/// Where a household's members are registered.
enum Origin {
    case local
    /// Index into `RegisterNames.origins`.
    case floating(Int)
    case foreign(RegisterNames.Foreign)
}

struct HouseholdPlan {
    var origin: Origin
    var template: Template
    /// The head first.
    var members: [MemberSpec]
    var rents: Bool
}

/// Household compositions. Sizes are drawn 1–6 with weights giving a mean of about 2.8 (the
/// 2020 census average is 2.62, a little more in rural 贵州); floating households are smaller.
/// Ages are drawn per role in the family, so the pyramid comes out of the compositions:
/// elderly couples and people living alone, children of working-age parents, and rural
/// grandparents raising grandchildren while the parents work in the coastal provinces.
enum Households {
    private static let localSizes = [16, 28, 24, 17, 10, 5]   // 1…6, per cent
    private static let floatingSizes = [35, 25, 25, 12, 3, 0]

    static func size(floating: Bool, _ rng: inout SeededRandom) -> Int {
        weighted(floating ? floatingSizes : localSizes, &rng) + 1
    }

    /// An index drawn with the given integer weights.
    static func weighted(_ weights: [Int], _ rng: inout SeededRandom) -> Int {
        // Plain loops: this runs a few times per person and debug builds are slow at iterators.
        var total = 0
        var k = 0
        while k < weights.count {
            total += weights[k]
            k += 1
        }
        var roll = rng.below(total)
        k = 0
        while k < weights.count - 1 {
            if roll < weights[k] { return k }
            roll -= weights[k]
            k += 1
        }
        return weights.count - 1
    }

    static func clampAge(_ a: Int) -> Int { Swift.min(Swift.max(a, 0), 90) }

    static func local(size: Int, rural: Bool, _ rng: inout SeededRandom) -> (Template, [MemberSpec]) {
        let template: Template
        switch size {
        case 1: template = .alone
        case 2: template = [.couple, .nuclear, .skipGeneration, .withParents][weighted([72, 12, rural ? 12 : 4, 8], &rng)]
        case 3: template = [.nuclear, .withParents, .skipGeneration, .threeGenerations][weighted([60, 12, rural ? 12 : 3, 18], &rng)]
        case 4: template = [.nuclear, .withParents, .skipGeneration, .threeGenerations][weighted([40, 22, rural ? 10 : 2, 30], &rng)]
        case 5: template = [.nuclear, .withParents, .threeGenerations][weighted([8, 40, 52], &rng)]
        default: template = rng.chance(0.4) ? .withParents : .threeGenerations
        }
        return (template, compose(template, size: size, rural: rural, floating: false, &rng))
    }

    /// Floating households are young: workers alone, couples, couples with small children.
    static func floating(size: Int, _ rng: inout SeededRandom) -> (Template, [MemberSpec]) {
        let template: Template = size == 1 ? .alone : size == 2 && rng.chance(0.7) ? .couple : .nuclear
        return (template, compose(template, size: size, rural: false, floating: true, &rng))
    }

    private static func head(age: Int, sex: Sex) -> MemberSpec {
        MemberSpec(relation: "本人", age: age, sex: sex, headSurname: true)
    }

    /// A spouse of the other sex, the wife usually a little younger.
    private static func spouse(of head: MemberSpec, _ rng: inout SeededRandom) -> MemberSpec {
        let sex: Sex = head.sex == .male ? .female : .male
        let gap = rng.int(in: -1...4)
        let age = head.sex == .male ? head.age - gap : head.age + gap
        return MemberSpec(relation: "配偶", age: clampAge(Swift.max(age, 18)), sex: sex, headSurname: false)
    }

    /// `count` children of a parent aged `parentAge`, eldest first, 1–5 years apart.
    private static func children(_ count: Int, parentAge: Int, grand: Bool, maxAge: Int = 90,
                                 _ rng: inout SeededRandom) -> [MemberSpec] {
        var age = Swift.min(clampAge(parentAge - rng.int(in: 22...32)), maxAge)
        var out: [MemberSpec] = []
        for _ in 0..<count {
            let sex: Sex = rng.chance(0.52) ? .male : .female
            let relation = grand ? (sex == .male ? "孙子" : "孙女") : (sex == .male ? "子" : "女")
            out.append(MemberSpec(relation: relation, age: age, sex: sex, headSurname: true))
            age = Swift.max(age - rng.int(in: 1...5), 0)
        }
        return out
    }

    private static func compose(_ template: Template, size: Int, rural: Bool, floating: Bool,
                                 _ rng: inout SeededRandom) -> [MemberSpec] {
        switch template {
        case .alone:
            let elderly = !floating && rng.chance(rural ? 0.42 : 0.32)
            if elderly { return [head(age: rng.int(in: 62...90), sex: rng.chance(0.6) ? .female : .male)] }
            return [head(age: floating ? rng.int(in: 18...55) : rng.int(in: 20...59), sex: rng.chance(0.6) ? .male : .female)]

        case .couple:
            let roll = rng.unit()
            let age = floating ? rng.int(in: 20...50)
                : roll < 0.38 ? rng.int(in: 60...85) : roll < 0.75 ? rng.int(in: 45...62) : rng.int(in: 20...34)
            let h = head(age: age, sex: rng.chance(0.85) ? .male : .female)
            return [h, spouse(of: h, &rng)]

        case .nuclear:
            let single = size == 2 || rng.chance(0.08)
            let age = floating ? rng.int(in: 24...45) : size >= 4 ? rng.int(in: 30...50) : rng.int(in: 26...52)
            let h = head(age: age, sex: single ? (rng.chance(0.6) ? .female : .male) : (rng.chance(0.85) ? .male : .female))
            let adults = single ? [h] : [h, spouse(of: h, &rng)]
            return adults + children(size - adults.count, parentAge: age, grand: false,
                                     maxAge: floating ? 16 : 90, &rng)

        case .withParents:
            let age = rng.int(in: 30...55)
            let h = head(age: age, sex: rng.chance(0.85) ? .male : .female)
            var members = [h]
            if size >= 3 { members.append(spouse(of: h, &rng)) }
            let parents = size >= 4 && rng.chance(0.6) ? 2 : 1
            let fatherAge = clampAge(Swift.max(age + rng.int(in: 24...32), 55))
            let motherFirst = parents == 1 && rng.chance(0.65)  // widows outlive widowers
            if parents == 2 || !motherFirst {
                members.append(MemberSpec(relation: "父亲", age: fatherAge, sex: .male, headSurname: true))
            }
            if parents == 2 || motherFirst {
                members.append(MemberSpec(relation: "母亲", age: clampAge(fatherAge - rng.int(in: 0...4)),
                                          sex: .female, headSurname: false))
            }
            return members + children(size - members.count, parentAge: age, grand: false, &rng)

        case .threeGenerations:
            let age = rng.int(in: 58...82)
            let h = head(age: age, sex: rng.chance(0.75) ? .male : .female)
            var members = [h]
            if size >= 4 || rng.chance(0.5) { members.append(spouse(of: h, &rng)) }
            let sonAge = Swift.max(age - rng.int(in: 23...30), 20)
            var son = MemberSpec(relation: "子", age: sonAge, sex: .male, headSurname: true)
            var wife = MemberSpec(relation: "儿媳", age: Swift.max(sonAge - rng.int(in: -1...3), 18), sex: .female,
                                  headSurname: false)
            // Working-age couples leave the villages for the coast; some leave together.
            let roll = rng.unit()
            let bothAway = roll < (rural ? 0.12 : 0.03)
            son.away = bothAway || roll < (rural ? 0.21 : 0.06)
            wife.away = bothAway
            members.append(son)
            if members.count < size { members.append(wife) }
            return members + children(size - members.count, parentAge: sonAge, grand: true, &rng)

        case .skipGeneration:
            let h = head(age: rng.int(in: 55...80), sex: rng.chance(0.7) ? .male : .female)
            var members = [h]
            if size >= 4 && rng.chance(0.7) { members.append(spouse(of: h, &rng)) }
            // The parents, registered here and away; with a small household only the son is.
            if size >= 3 {
                members.append(MemberSpec(relation: "子", age: Swift.max(h.age - rng.int(in: 24...30), 20), sex: .male,
                                          headSurname: true, away: true))
            }
            if size - members.count >= 2 && rng.chance(0.7) {
                let sonAge = members[members.count - 1].age
                members.append(MemberSpec(relation: "儿媳", age: Swift.max(sonAge - rng.int(in: 0...3), 18), sex: .female,
                                          headSurname: false, away: true))
            }
            let count = size - members.count
            var kids: [MemberSpec] = []
            for _ in 0..<count {
                let sex: Sex = rng.chance(0.52) ? .male : .female
                kids.append(MemberSpec(relation: sex == .male ? "孙子" : "孙女", age: rng.int(in: 1...15), sex: sex,
                                       headSurname: true))
            }
            return members + kids.sorted { $0.age > $1.age }
        }
    }
}
