import WanggeCore
/// Name pools for places and people. All names are composed at random from common
/// characters; none is taken from a real person, and place names are generic village and town
/// names of south-western China, not a copy of any real county's list.
enum Names {
    static let surnames: [String] = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严覃武戴莫孔向汤"
    ).map(String.init)

    static let givenCharacters: [String] = Array(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力兰燕海晓林春云鹏飞斌宇浩凯俊鑫婷雪琳倩梅莉亮成志国荣德福生波金雨欣怡佳思诗梦涵智远航昊慧颖"
    ).map(String.init)

    /// A surname and one or two given-name characters, e.g. “刘晓梅”.
    static func person(_ rng: inout SeededRandom) -> String {
        var name = rng.pick(surnames) + rng.pick(givenCharacters)
        if rng.chance(0.65) { name += rng.pick(givenCharacters) }
        return name
    }

    /// Mobile prefixes of the three carriers (13x, 15x, 18x).
    static let mobilePrefixes = [
        "130", "131", "132", "133", "135", "136", "137", "138", "139",
        "150", "151", "152", "153", "155", "157", "158", "159",
        "180", "181", "182", "183", "185", "186", "187", "188", "189",
    ]

    /// An 11-digit mobile number not handed out before in this territory.
    static func phone(_ rng: inout SeededRandom, used: inout Set<String>) -> String {
        while true {
            var number = rng.pick(mobilePrefixes)
            for _ in 0..<8 { number += String(rng.below(10)) }
            if used.insert(number).inserted { return number }
        }
    }

    /// Town and township bases (“土城” → “土城镇”); a county draws distinct ones.
    static let townBases = [
        "土城", "桃溪", "龙井", "石滩", "大坝", "杉树", "双龙", "回龙", "良田", "官渡", "永安", "长岭",
        "青杠", "马鞍", "白沙", "三岔", "碧水", "凤鸣", "隆兴", "九龙", "桑木", "寨坝", "东皇", "醒民",
        "温水", "仙源", "同民", "坭坝", "程寨", "民化", "桂花", "大坡", "高洞", "岩寨", "梅溪", "清泉",
    ]

    /// Street names by where the street lies from the county seat, then spares.
    static let streetByDirection = ["东城街道", "西城街道", "南城街道", "北城街道"]
    static let spareStreets = ["城关街道", "文昌街道", "新华街道", "河滨街道", "龙华街道"]

    /// Names of urban communities (社区).
    static let communities = [
        "红旗", "人民路", "文昌", "新华", "建设", "和平", "解放", "幸福", "光明", "育才", "滨河", "府前",
        "东门", "西门", "南门", "北门", "中山", "翠湖", "桂园", "锦华", "新城", "花园", "体育路", "民主",
        "胜利", "向阳", "朝阳", "长征", "杏林", "书院", "龙泉", "河西", "金桥", "望城", "康乐", "丰乐",
    ]

    /// Villages are a first and a second character, as “桃林” or “石桥”.
    static let villageFirst = Array("桃杨石青大枫新竹梨柏龙岩高沙茶红三五金银黄白花松柳杉马凤双鱼团狮兴").map(String.init)
    static let villageSecond = Array("林园坝湾坪溪山田塘口桥岭河寨沟坡堡场冲").map(String.init)

    static func village(_ rng: inout SeededRandom) -> String {
        rng.pick(villageFirst) + rng.pick(villageSecond) + "村"
    }

    /// Draws a name from `make` that is not in `used`, giving up after a while with a numeral
    /// suffix so that generation can never loop forever on an exhausted pool.
    static func distinct(_ used: inout Set<String>, _ rng: inout SeededRandom, _ make: (inout SeededRandom) -> String) -> String {
        for _ in 0..<200 {
            let name = make(&rng)
            if used.insert(name).inserted { return name }
        }
        var n = 2
        let base = make(&rng)
        while !used.insert("\(base)\(n)").inserted { n += 1 }
        return "\(base)\(n)"
    }

    /// Counties of the benchmark city; the first is the demo county itself.
    static let counties = [
        "清溪", "松河", "白岩", "青枫", "鹤鸣", "兰川", "石桥", "柳溪", "桂坪", "枫岭", "云台", "梓川",
        "黛山", "赤溪", "绿浦", "溪口",
    ]
}
