import WanggeCore

/// The demo logins: one per role, placed so that together they show 属地管理 — who sees what.
enum DemoAccounts {
    /// - Parameters:
    ///   - top: the root the administrator and the leader see (the county, or the city).
    ///   - layout, rosters: the county the other accounts live in.
    static func make(top: Node, countyPlan plan: CountyPlan, layout: CountyLayout, rosters: CountyRosters,
                     rng: inout SeededRandom) -> [DemoAccount] {
        let street = layout.townships[0]
        let town = layout.townships.first { $0.name.hasSuffix("镇") }!
        let community = layout.communities.first { $0.parent == street.code }!
        let grid = layout.units.first { $0.code == layout.accountGrid }!
        let roster = rosters.staff.filter { $0.gridCode == grid.code }
        let leader = roster.first { $0.role == .leader }!.name
        let worker = roster.first { $0.role == .fullTime }!.name
        let topLabel = top.code.level == .city ? "全市" : "全县"
        var names = rng.fork()
        func person() -> String { Names.person(&names) }

        return [
            DemoAccount(username: "admin", displayName: "系统管理员", role: .admin, scope: top.code,
                        purpose: "系统管理员(\(top.name))：维护\(topLabel)网格、账号、职能部门和规模标准，查看审计日志"),
            DemoAccount(username: "zhongxin", displayName: person(), role: .operator, scope: layout.county.code,
                        purpose: "\(plan.name)综治中心(三级中心)坐席员：受理、派遣、督办，看得到全县所有乡镇(街道)、村(社区)和网格"),
            DemoAccount(username: "jiedao", displayName: person(), role: .operator, scope: street.code,
                        purpose: "\(street.name)综治中心(二级中心)坐席员：只看得到\(street.name)的社区、网格和网格员"),
            DemoAccount(username: "xiangzhen", displayName: person(), role: .operator, scope: town.code,
                        purpose: "\(town.name)综治中心(二级中心)坐席员：与jiedao对照，两个乡镇(街道)互相看不到对方的网格和人员"),
            DemoAccount(username: "shequ", displayName: person(), role: .operator, scope: community.code,
                        purpose: "\(street.name)\(community.name)(一级站)坐席员：只管本社区的网格和网格员"),
            DemoAccount(username: "wangzhang", displayName: leader, role: .gridLeader, scope: grid.code,
                        purpose: "\(grid.name)网格长：本网格的网格员名单和上报，看不到其他网格"),
            DemoAccount(username: "wanggeyuan", displayName: worker, role: .gridWorker, scope: grid.code,
                        purpose: "\(grid.name)专职网格员：入户走访、巡查上报，只看得到自己的网格"),
            DemoAccount(username: "gongan", displayName: person(), role: .department, scope: nil,
                        departmentKey: CountyDepartments.policeKey(suffix: plan.keySuffix),
                        purpose: "\(plan.name)公安局工作人员(职能部门)：签收、办理交办给公安的任务，看得到全县网格"),
            DemoAccount(username: "lingdao", displayName: person(), role: .leader, scope: top.code,
                        purpose: "\(top.name)领导：只读，看\(topLabel)的统计、排名和规模超标、缺员情况"),
        ]
    }
}
