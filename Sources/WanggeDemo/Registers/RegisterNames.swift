import WanggeCore

/// Name pools of the registers: roads, estates, where people come from, foreign names,
/// enterprises. Generic names of a county town of south-western China, composed, not copied.
enum RegisterNames {
    static let roads = [
        "人民路", "解放路", "中山路", "建设路", "文昌路", "新华路", "和平路", "胜利路", "滨河路", "府前路",
        "环城路", "迎宾大道", "振兴路", "民主路", "育才路", "红旗路", "朝阳路", "沿河路", "桂花路", "杏林路",
        "南门街", "北门街", "东门街", "西门街", "老街", "新街", "书院街", "长征路", "光明路", "幸福路",
        "花园路", "龙泉路", "金桥路", "望城路", "康乐路", "丰乐路", "体育路", "茶城大道", "河西路", "锦华路",
    ]

    static let lanes = [
        "文庙巷", "石板巷", "马家巷", "王家巷", "水井巷", "竹林巷", "米市巷", "盐店巷", "打铁巷", "豆腐巷",
        "油榨巷", "灯笼巷", "书院巷", "箭道巷", "仓后巷", "杨柳巷", "学前巷", "城隍巷", "丁字巷", "桂花巷",
    ]

    /// Estate names are a first part and a kind of estate, as “翠湖花园” or “金桂雅居”.
    static let estateFirst = [
        "翠湖", "阳光", "锦绣", "滨江", "金桂", "和谐", "碧水", "书香", "龙湖", "凤凰", "世纪", "兴盛", "康居", "桂花",
        "玉龙", "山水", "御景", "鑫源", "安居", "文昌", "茶香", "紫荆", "枫林", "东方", "南湖", "学府", "丽景", "润和",
        "聚福", "天元", "金色", "怡景", "时代", "云锦", "盛世", "银杏", "富康", "温馨", "江南", "香樟",
    ]
    static let estateSecond = ["花园", "小区", "家园", "苑", "华庭", "新城", "雅居", "名邸", "佳苑", "公馆"]

    /// Work-unit compounds (单位型 grids): a bureau's or a factory's old housing.
    static let compounds = [
        "粮食局家属院", "供电局家属区", "人民医院职工宿舍", "第一中学教师公寓", "农机厂生活区", "烟草公司家属院",
        "水泥厂生活区", "交通局家属院", "税务局宿舍", "林业局家属院", "邮政局宿舍", "酒厂职工住宅区", "茶厂生活区",
        "氮肥厂家属区", "工商银行宿舍", "农业银行宿舍", "建筑公司家属院", "汽车站宿舍", "财政局家属院", "水电站生活区",
    ]


    /// Given-name characters by sex, so that a 女 is not called 刚 or 强.
    static let maleGiven = Array(
        "伟强磊军洋勇杰涛明超刚平建文辉力海林鹏飞斌宇浩凯俊鑫成志国荣德福生波金亮龙江华兵峰毅军豪鸿才坤勋山"
    ).map(String.init)
    static let femaleGiven = Array(
        "芳娜敏静丽艳娟秀霞桂英玉萍红兰燕晓春云婷雪琳倩梅莉慧颖欣怡佳思诗梦涵琴凤香珍菊琼露瑶蓉莹"
    ).map(String.init)

    /// Mobile prefixes of the three carriers, 13x to 19x.
    static let mobilePrefixes = [
        130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166,
        173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 195, 198, 199,
    ]

    static func numeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 0..<10: return digits[n]
        case 10: return "十"
        case 11..<20: return "十" + digits[n - 10]
        default: return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        }
    }

    /// Divisions floating people come from, weighted: most from elsewhere in 贵州, then 四川,
    /// 重庆 and 云南 next door, a few from farther. Real GB/T 2260 county codes, so their ID
    /// numbers look like the ones a worker would meet.
    static let origins: [(code: Int, name: String, weight: Int)] = [
        (520102, "贵州省贵阳市南明区", 4), (520103, "贵州省贵阳市云岩区", 4), (520111, "贵州省贵阳市花溪区", 2),
        (520113, "贵州省贵阳市白云区", 2), (520302, "贵州省遵义市红花岗区", 5), (520303, "贵州省遵义市汇川区", 4),
        (520322, "贵州省遵义市桐梓县", 4), (520323, "贵州省遵义市绥阳县", 4), (520324, "贵州省遵义市正安县", 4),
        (520325, "贵州省遵义市道真仡佬族苗族自治县", 2), (520326, "贵州省遵义市务川仡佬族苗族自治县", 2),
        (520327, "贵州省遵义市凤冈县", 3), (520328, "贵州省遵义市湄潭县", 3), (520329, "贵州省遵义市余庆县", 2),
        (520330, "贵州省遵义市习水县", 3), (520381, "贵州省遵义市赤水市", 2), (520382, "贵州省遵义市仁怀市", 3),
        (520402, "贵州省安顺市西秀区", 1), (520201, "贵州省六盘水市钟山区", 1), (520502, "贵州省毕节市七星关区", 3),
        (520521, "贵州省毕节市大方县", 2), (520523, "贵州省毕节市金沙县", 2), (520602, "贵州省铜仁市碧江区", 1),
        (522601, "贵州省黔东南苗族侗族自治州凯里市", 1), (522701, "贵州省黔南布依族苗族自治州都匀市", 1),
        (510104, "四川省成都市锦江区", 1), (510107, "四川省成都市武侯区", 1), (510502, "四川省泸州市江阳区", 3),
        (510521, "四川省泸州市泸县", 3), (510524, "四川省泸州市叙永县", 2), (510525, "四川省泸州市古蔺县", 3),
        (511502, "四川省宜宾市翠屏区", 2), (511302, "四川省南充市顺庆区", 1), (511602, "四川省广安市广安区", 1),
        (500101, "重庆市万州区", 2), (500103, "重庆市渝中区", 1), (500106, "重庆市沙坪坝区", 2), (500110, "重庆市綦江区", 5),
        (500112, "重庆市渝北区", 2), (500116, "重庆市江津区", 3), (530102, "云南省昆明市五华区", 1),
        (530602, "云南省昭通市昭阳区", 2), (530621, "云南省昭通市鲁甸县", 1), (430102, "湖南省长沙市芙蓉区", 1),
        (431202, "湖南省怀化市鹤城区", 1), (420106, "湖北省武汉市武昌区", 1), (450102, "广西壮族自治区南宁市兴宁区", 1),
        (360102, "江西省南昌市东湖区", 1), (410102, "河南省郑州市中原区", 1), (330203, "浙江省宁波市海曙区", 1),
    ]

    static let originWeights = origins.map(\.weight)

    /// Where the county's migrant workers are while their hukou stays at home (人户分离).
    static let awayPlaces = [
        "浙江省宁波市", "浙江省温州市", "广东省东莞市", "广东省深圳市", "广东省佛山市", "福建省泉州市", "江苏省苏州市",
        "上海市", "贵州省贵阳市", "重庆市", "四川省成都市",
    ]

    /// 民族 codes (GB 3304) and weights per thousand for a county in northern 贵州.
    static let ethnicities: [(code: String, weight: Int)] = [
        ("01", 860), ("06", 50), ("09", 25), ("15", 20), ("12", 15), ("07", 12), ("37", 12), ("03", 6),
    ]
    static let ethnicityWeights = ethnicities.map(\.weight)

    static func ethnicity(_ rng: inout SeededRandom) -> String {
        ethnicities[Households.weighted(ethnicityWeights, &rng)].code
    }

    /// Foreign residents: nationality, how the passport number looks, and names by sex
    /// (Latin, Chinese transliteration).
    struct Foreign {
        var nationality: String
        var passportLetters: String
        var passportDigits: Int
        var male: [(String, String)]
        var female: [(String, String)]
    }

    static let vietnam = Foreign(
        nationality: "VNM", passportLetters: "C", passportDigits: 7,
        male: [("NGUYEN VAN HUNG", "阮文雄"), ("TRAN VAN NAM", "陈文南"), ("PHAM VAN DUC", "范文德"), ("LE VAN THANH", "黎文成")],
        female: [("NGUYEN THI HOA", "阮氏花"), ("TRAN THI LAN", "陈氏兰"), ("LE THI MAI", "黎氏梅"), ("HOANG THI THU", "黄氏秋"),
                 ("VU THI HANG", "武氏姮"), ("PHAM THI NGA", "范氏娥"), ("DO THI HUONG", "杜氏香")])
    static let myanmar = Foreign(
        nationality: "MMR", passportLetters: "MA", passportDigits: 6,
        male: [("AUNG KYAW", "昂觉"), ("THAN HTIKE", "丹迪"), ("ZAW MIN", "佐敏")],
        female: [("MYA MYA", "妙妙"), ("KHIN MAR", "钦玛"), ("NAN HLAING", "南莱"), ("SU SU", "素素"), ("AYE AYE", "埃埃")])
    static let korea = Foreign(
        nationality: "KOR", passportLetters: "M", passportDigits: 8,
        male: [("KIM MINJUN", "金敏俊"), ("PARK JIHOON", "朴智勋"), ("LEE SEUNGHO", "李承浩")],
        female: [("LEE SOYEON", "李素妍"), ("CHOI YUNA", "崔允娜")])
    static let unitedStates = Foreign(
        nationality: "USA", passportLetters: "A", passportDigits: 8,
        male: [("JOHN SMITH", "约翰·史密斯"), ("MICHAEL BROWN", "迈克尔·布朗"), ("DAVID MILLER", "戴维·米勒")],
        female: [("EMILY JOHNSON", "艾米莉·约翰逊"), ("SARAH DAVIS", "莎拉·戴维斯")])

    /// Enterprise names: 字号 and 行业 of a county economy (liquor, tea, building, trade, farming).
    static let brands = [
        "鑫源", "恒达", "黔兴", "宏远", "金鼎", "华泰", "瑞丰", "盛世", "永兴", "佳禾", "绿源", "山珍", "茗香", "酱香",
        "富民", "兴农", "汇通", "顺达", "众诚", "德隆", "天成", "银河", "黔北", "溪源", "广源", "远航", "新思路", "鸿运",
        "福临", "康泰", "安顺达", "利民", "万家", "锦程", "明鑫", "宝丰", "红星", "乌江", "云峰", "森林",
    ]
    static let trades = [
        "建材", "商贸", "农业开发", "茶业", "酒业", "食品", "物流", "建筑工程", "房地产开发", "餐饮管理", "旅游开发",
        "汽车服务", "电子科技", "医药", "竹木制品", "生态养殖", "劳务派遣", "广告传媒", "物业管理", "机械制造",
    ]
    static let shops = [
        "便利店", "小吃店", "副食店", "五金店", "理发店", "汽修店", "农家乐", "服装店", "药店", "烟酒店", "火锅店",
        "粉面馆", "手机店", "家电维修部", "建材经营部", "农资店", "茶叶店", "照相馆", "洗车场", "早餐店",
    ]
    static let cooperativeProducts = [
        "茶叶种植", "生猪养殖", "辣椒种植", "蔬菜种植", "中药材种植", "肉牛养殖", "食用菌种植", "精品水果种植",
        "蛋鸡养殖", "花椒种植", "高粱种植", "竹产业",
    ]

    /// Social organisations: 社会团体 (51), 民办非企业单位 (52), 基金会 (53).
    static let associations = [
        "个体劳动者协会", "老年人体育协会", "书法家协会", "摄影家协会", "志愿者协会", "餐饮行业协会", "茶叶协会",
        "慈善总会", "青年企业家商会", "退役军人协会", "酒业协会", "作家协会", "篮球协会", "钓鱼协会", "象棋协会",
        "民间文艺家协会", "养殖业协会", "川渝商会", "浙江商会", "红十字会志愿服务队",
    ]
    static let privateNonEnterprise = [
        "阳光幼儿园", "康乐养老院", "博雅培训学校", "心连心社会工作服务中心", "夕阳红老年公寓", "启明星艺术培训中心",
        "仁爱康复中心", "小太阳幼儿园", "同心社会工作服务站", "益民法律服务所", "新希望职业技能培训学校", "爱心托管中心",
        "育苗幼儿园", "晨光残疾人康复中心", "福寿居家养老服务中心",
    ]
    static let foundations = ["教育发展基金会", "扶贫开发基金会", "见义勇为基金会"]
}
