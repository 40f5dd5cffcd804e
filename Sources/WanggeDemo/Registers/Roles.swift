import WanggeCore

/// Special populations (特殊人群, 重点青少年) and care groups (关爱对象).
///
/// Shares of all people, about 2.6% in total, care groups far more common than special
/// populations: 残疾人 1% (持证, mostly the old), 严重精神障碍 0.3% (the national registry's
/// rate), 留守 and 空巢 0.35% each, 低保 0.25% (recorded against the head), 易地扶贫搬迁
/// 0.12% (heads in the town seats' resettlement estates), 重点青少年 0.08%, 刑满释放 0.05%
/// (within the five years of 帮教), 吸毒 0.04%, 社区矫正 0.03%, 艾滋病危险 0.015%. Each kind
/// has its age range and sex ratio; people are drawn with weights within them.
enum RoleKind: String, CaseIterable {
    case correction, released, drug, mental, hiv, youth
    case leftBehind = "left_behind"
    case emptyNest = "empty_nest"
    case disabled, subsistence, relocated

    /// The share of all people who hold the role.
    var rate: Double {
        switch self {
        case .correction: 0.0003
        case .released: 0.0005
        case .drug: 0.0004
        case .mental: 0.003
        case .hiv: 0.00015
        case .youth: 0.0008
        case .leftBehind, .emptyNest: 0.0035
        case .disabled: 0.010
        case .subsistence: 0.0025
        case .relocated: 0.0012
        }
    }
}

extension RegisterBuilder {
    mutating func assignRoles(_ rng: inout SeededRandom) {
        let anyResettlement = county.places.contains { $0.isResettlement }
        var roles: [PopulationRole] = []
        for kind in RoleKind.allCases {
            var candidates: [Int] = []
            var weights: [Double] = []
            for p in 0..<facts.count {
                let w = Self.weight(kind, facts[p], anyResettlement: anyResettlement)
                if w > 0 {
                    candidates.append(p)
                    weights.append(w)
                }
            }
            let wanted = Swift.min(Int((Double(out.people.count) * kind.rate).rounded()), candidates.count)
            for p in Self.draw(wanted, from: candidates, weights: weights, &rng) {
                roles.append(makeRole(kind, person: p, &rng))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: RoleKind.allCases.enumerated().map { ($1.rawValue, $0) })
        roles.sort { $0.personID != $1.personID ? $0.personID < $1.personID : order[$0.kind]! < order[$1.kind]! }
        out.roles = roles
    }

    /// `count` distinct people, each accepted with probability proportional to its weight.
    private static func draw(_ count: Int, from candidates: [Int], weights: [Double], _ rng: inout SeededRandom) -> [Int] {
        guard count > 0, let top = weights.max() else { return [] }
        var taken: Set<Int> = []
        var out: [Int] = []
        var attempts = 0
        while out.count < count, attempts < 1000 * count {
            attempts += 1
            let k = rng.below(candidates.count)
            if !taken.contains(candidates[k]), rng.unit() * top < weights[k] {
                taken.insert(candidates[k])
                out.append(candidates[k])
            }
        }
        return out
    }

    /// Static, and given the facts alone: debug builds copy the whole builder for every
    /// non-mutating call made from a mutating one, a hundred thousand times per kind.
    private static func weight(_ kind: RoleKind, _ f: PersonFacts, anyResettlement: Bool) -> Double {
        guard f.kind != .foreign, !f.away else { return 0 }
        let age = Int(f.age), male = f.male
        let local = f.kind == .registered
        switch kind {
        case .correction: return (18...65).contains(age) ? (male ? 1 : 0.15) * ((25...45).contains(age) ? 1.5 : 1) : 0
        case .released: return (20...70).contains(age) ? (male ? 1 : 0.1) : 0
        case .drug: return (18...55).contains(age) ? (male ? 1 : 0.25) : 0
        case .hiv: return (18...60).contains(age) ? (male ? 1 : 0.5) : 0
        case .youth: return (12...25).contains(age) ? 1 : 0
        case .mental: return age >= 18 ? ((20...60).contains(age) ? 1.2 : 1) : 0
        case .disabled: return age < 18 ? 0.2 : age < 45 ? 0.5 : age < 60 ? 1 : age < 75 ? 2 : 3.5
        case .leftBehind:
            guard local, f.village, f.householdHasAway else { return 0 }
            return age < 16 || age >= 60 || (!male && (20...50).contains(age)) ? 1 : 0
        case .emptyNest: return local && f.elderlyOnly && age >= 60 ? (f.template == .alone ? 1.5 : 1) : 0
        case .subsistence:
            guard local, f.isHead, age >= 18 else { return 0 }
            return (f.village ? 1.5 : 0.7) * (f.elderlyOnly ? 2 : 1)
        case .relocated:
            guard local, f.isHead else { return 0 }
            return f.resettlement || (!anyResettlement && f.townSeat) ? 1 : 0
        }
    }

    private static func pick(_ options: [(String, Int)], _ rng: inout SeededRandom) -> String {
        options[Households.weighted(options.map(\.1), &rng)].0
    }

    private mutating func makeRole(_ kind: RoleKind, person p: Int, _ rng: inout SeededRandom) -> PopulationRole {
        let today = DemoRegisters.referenceDay.daysSinceEpoch
        let person = out.people[p]
        let birth = person.birthDate?.daysSinceEpoch ?? today - 30 * 365
        // A day in the last `years` years, never before the person was `minAge`.
        func past(_ years: Int, minAge: Int = 0) -> Day {
            let earliest = Swift.max(today - years * 365, birth + minAge * 365)
            return Day(daysSinceEpoch: earliest + rng.below(Swift.max(today - earliest, 1)))
        }
        var fields: [String: String] = [:]
        var attention = "03"
        var since: Day? = nil
        var until: Day? = nil
        switch kind {
        case .correction:
            let ended = facts[p].age >= 23 && rng.chance(0.1)
            let start = ended ? Day(daysSinceEpoch: today - rng.int(in: 800...1500)) : past(3, minAge: 18)
            fields = ["矫正类别": Self.pick([("缓刑", 70), ("假释", 12), ("暂予监外执行", 8), ("管制", 6), ("剥夺政治权利", 4)], &rng),
                      "接收方式": Self.pick([("自行报到", 85), ("狱所押送", 8), ("当庭交接", 7)], &rng),
                      "矫正开始日期": start.description]
            attention = rng.chance(0.4) ? "01" : "02"
            since = start
            if ended { until = start.adding(days: rng.int(in: 365...730)) }
        case .released:
            let released = past(5, minAge: 19)
            let assessment = Self.pick([("一般帮教人员", 85), ("重点帮教人员", 15)], &rng)
            fields = ["罪名分类": Self.pick([("侵犯财产罪", 40), ("妨害社会管理秩序罪", 25), ("侵犯公民人身权利、民主权利罪", 18),
                                    ("危害公共安全罪", 12), ("破坏社会主义市场经济秩序罪", 5)], &rng),
                      "释放日期": released.description,
                      "衔接情况": Self.pick([("司法所接回", 45), ("基层组织接回", 20), ("人员自返", 20), ("基层政府接回", 10),
                                    ("公安机关落实管控措施", 5)], &rng),
                      "危险性评估类型": assessment]
            attention = assessment == "重点帮教人员" ? "01" : rng.chance(0.7) ? "02" : "03"
            since = released
        case .drug:
            let control = Self.pick([("在控", 70), ("社会面戒断三年未复吸", 12), ("社会面戒断不满三年", 13), ("失控", 5)], &rng)
            fields = ["管控情况": control]
            attention = control == "失控" ? "01" : control == "社会面戒断三年未复吸" ? "03" : "02"
            since = past(10, minAge: 16)
        case .mental:
            let level = Self.pick([("0级", 55), ("1级", 25), ("2级", 12), ("3级", 5), ("4级", 2), ("5级", 1)], &rng)
            fields = ["目前诊断类型": Self.pick([("精神分裂症", 55), ("双相(情感)障碍", 12), ("精神发育迟滞伴发精神障碍", 10),
                                      ("癫痫所致精神障碍", 8), ("分裂情感性障碍", 5), ("持久的妄想性障碍(偏执性精神病)", 4),
                                      ("重度抑郁发作", 3), ("其他", 3)], &rng),
                      "目前危险性评估等级": level,
                      "治疗情况": Self.pick([("居家服用抗精神病药物治疗", 70), ("住院治疗", 8), ("其他治疗", 7), ("未接受过治疗", 15)], &rng)]
            attention = ["3级", "4级", "5级"].contains(level) ? "01" : level == "0级" ? "03" : "02"
            since = past(15, minAge: 16)
        case .hiv:
            fields = ["感染途径": Self.pick([("异性性传播", 70), ("同性性传播", 12), ("注射毒品传播", 8), ("母婴传播", 1), ("不详", 9)], &rng),
                      "关注类型": "无"]
            attention = "02"
            since = past(8, minAge: 16)
        case .youth:
            fields = ["人员类型": youthType(p, &rng),
                      "家庭情况": Self.pick([("单亲家庭", 30), ("低收入家庭", 20), ("流动家庭", 15), ("与父母关系不融洽", 15),
                                    ("扶养人受教育水平相对较低", 10), ("家庭成员的不良行为多", 5), ("其他", 5)], &rng)]
            attention = fields["人员类型"] == "有不良行为或严重不良行为青少年" ? "01" : rng.chance(0.5) ? "02" : "03"
            since = past(3, minAge: 12)
        case .leftBehind:
            let age = Int(facts[p].age)
            let type = age < 16 ? "留守儿童" : age >= 60 ? "留守老人" : "留守妇女"
            fields = ["留守人员类型": type]
            attention = type == "留守儿童" ? "02" : "03"
            since = past(5)
        case .emptyNest:
            let health = Self.pick([("很好", 5), ("较好", 25), ("一般", 40), ("较差", 22), ("很差", 8)], &rng)
            fields = ["健康状况": health]
            attention = health == "较差" || health == "很差" ? "02" : "03"
            since = past(5, minAge: 60)
        case .disabled:
            let grade = Self.pick([("一级", 12), ("二级", 25), ("三级", 30), ("四级", 33)], &rng)
            fields = ["残疾类别": Self.pick([("肢体残疾", 48), ("视力残疾", 12), ("听力残疾", 13), ("言语残疾", 2), ("智力残疾", 9),
                                    ("精神残疾", 9), ("多重残疾", 7)], &rng),
                      "残疾等级": grade]
            attention = grade == "一级" ? "02" : "03"
            since = past(20)
        case .subsistence:
            let start = past(8, minAge: 18)
            subsistenceSerial += 1
            fields = ["低保证号": person.grid.countyCode + String(start.year) + pad(subsistenceSerial, 5)]
            since = start
            if rng.chance(0.05) { until = Day(daysSinceEpoch: start.daysSinceEpoch + rng.below(Swift.max(today - start.daysSinceEpoch, 1))) }
        case .relocated:
            let moved = Day(daysSinceEpoch: moveInDays[Int(facts[p].household)])
            fields = ["搬迁年份": String(moved.year)]
            since = moved
        }
        let visit = attention == "01" ? 7 : attention == "02" ? 15 : 30
        return PopulationRole(personID: Int64(p), kind: kind.rawValue, grid: person.grid, attention: attention, visitEveryDays: visit,
                              fields: fields, since: since, until: until)
    }

    /// 重点青少年 by age: idle youths past school age, misbehaving minors, children of prisoners,
    /// and rural children left behind.
    private func youthType(_ p: Int, _ rng: inout SeededRandom) -> String {
        let f = facts[p]
        if f.age >= 16, rng.chance(f.age >= 18 ? 0.85 : 0.5) { return "闲散青少年" }
        if f.age < 16, f.householdHasAway, f.village, rng.chance(0.5) { return "农村留守儿童" }
        return f.age < 18 ? Self.pick([("有不良行为或严重不良行为青少年", 60), ("服刑人员未成年子女", 25), ("流浪乞讨未成年人", 5),
                                  ("其他", 10)], &rng)
            : Self.pick([("有不良行为或严重不良行为青少年", 70), ("其他", 30)], &rng)
    }
}
