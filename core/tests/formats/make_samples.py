"""Writes every sample/bad/expected file under core/tests/formats/ from the layouts in each
LAYOUT.md. The files are committed; this script documents how they were made and lets them
be regenerated (python3 make_samples.py). Nothing here is copied from another project."""
from gen_common import write, expected, money, find_line
from decimal import Decimal as D

def fen(y):  # yuan string -> fen string
    return str(int(D(y) * 100))

# ---------------------------------------------------------------- JL Pay
def jlpay():
    F = "jlpay-detail"
    MER = "849440358120A07"   # 15 chars: acquirer 849, area 4403, MCC 5812, seq A07
    MER2 = "849440358120A08"
    # cols: mer|term|type|pay|card|amt|fee|batch|trace|rrn|auth|ret|time|sdate|cap|chfee|extra|order|orig|cust|nonstd|pwd|chamt|proc
    rows = [
        # card purchase, credit (02), 0.55 %
        [MER, "70312001", "0104", "02", "622588****3021", "128800", "708", "000012", "000101", "050610331201", "613402", "00",
         "20260506103344", "20260506", "1", "644", "0", "1001010420260506103321331201", "", "", "", "3", "128800", "0"],
        # card purchase, debit (01), fee capped at 18.00 (cap flag 2)
        [MER, "70312001", "0104", "01", "621700****8842", "560000", "1800", "000012", "000102", "050611452290", "", "00",
         "20260506114530", "20260506", "2", "1500", "0", "1001010420260506114512452290", "", "", "", "3", "560000", "0"],
        # card purchase, pay type 04 (contactless / QuickPass, observed at 0.35 %), 免密免签
        [MER, "70312001", "0104", "04", "625099****0107", "9900", "35", "000012", "000103", "050612010077", "204518", "00",
         "20260506120140", "20260506", "1", "19", "0", "1001010420260506120131010077", "", "", "2", "0", "9900", "0"],
        # WeChat, customer scans merchant code (1551), response SUCCESS, no card/batch/trace/rrn
        [MER, "76767676", "1551", "30", "", "3600", "13", "", "", "", "", "SUCCESS",
         "20260506123005", "20260506", "1", "7", "0", "8001155120260506123005118273", "", "SO20260506123001", "", "", "3600", "0"],
        # Alipay, customer scans merchant code (1551), response 10000
        [MER, "76767676", "1551", "31", "", "15800", "55", "", "", "", "", "10000",
         "20260506131522", "20260506", "1", "32", "0", "8001155120260506131522407719", "", "SO20260506131519", "", "", "15800", "0"],
        # WeChat, merchant scans customer's payment code (1537): masked code in 交易卡号, full code in 授权码
        [MER2, "70312002", "1537", "30", "134512****6630", "4250", "15", "000007", "000044", "050614200318", "134512887702416630", "00",
         "20260506142011", "20260506", "1", "9", "0", "1001153720260506142003200318", "", "SO20260506142001", "", "", "4250", "0"],
        # void (撤销) of the credit purchase above, same day -- ASSUMED code 0204, fee returned (negative)
        [MER, "70312001", "0204", "02", "622588****3021", "128800", "-708", "000012", "000104", "050615020455", "613402", "00",
         "20260506150210", "20260506", "1", "-644", "0", "1001020420260506150201020455", "1001010420260506103321331201", "", "", "3", "128800", "0"],
        # refund (退货) of an earlier purchase -- ASSUMED code 0304, fee not returned (0)
        [MER2, "70312002", "0304", "02", "436742****1188", "20000", "0", "000007", "000045", "050616330981", "", "00",
         "20260506163307", "20260506", "1", "0", "0", "1001030420260506163259330981", "1001010420260505191022118861", "", "", "", "20000", "0"],
        # Alipay payment code scanned by the POS (1537), late evening: settles next day
        [MER2, "70312002", "1537", "31", "286630****0452", "2680", "9", "000007", "000046", "050623581104", "286630771209150452", "00",
         "20260506235851", "20260507", "1", "5", "0", "1001153720260506235844581104", "", "SO20260506235840", "", "", "2680", "0"],
    ]
    data = ("\n".join("|".join(r) for r in rows) + "\n").encode("ascii")
    write(F, "sample.txt", data)
    chan = {"01": "debit", "02": "credit", "04": "quickpass", "30": "wechat", "31": "alipay"}
    kind = {"0104": "purchase", "1551": "purchase", "1537": "purchase", "0204": "void", "0304": "refund"}
    exp = []
    for r in rows:
        c = chan[r[3]]
        qr = c in ("wechat", "alipay")
        t = r[12]
        exp.append(dict(marker=("=" + "|".join(r)).encode(), settlement_date=f"{r[13][:4]}-{r[13][4:6]}-{r[13][6:]}",
                        time=f"{t[:4]}-{t[4:6]}-{t[6:8]} {t[8:10]}:{t[10:12]}:{t[12:]}",
                        amount=money(D(r[5]) / 100), fee=money(D(r[6]) / 100), channel=c, kind=kind[r[2]],
                        rrn=r[19] if qr else r[9], terminal=r[1], merchant_no=r[0], batch=r[7]))
    expected(F, data, exp)
    bad = list(map(list, rows[:3]))
    bad.append(rows[3][:23])                                      # 23 fields: one missing
    b = list(rows[4]); b[5] = "158.00"; bad.append(b)           # yuan with a point in a fen column
    b = list(rows[5]); b[12] = "20260506252011"; bad.append(b)  # hour 25
    b = list(rows[6]); b[2] = "9999"; bad.append(b)             # unknown 交易类型 code
    b = list(rows[7]); b[11] = "51"; bad.append(b)              # response code 51 (declined) in a settlement file
    b = list(rows[8]); b[13] = "2026057"; bad.append(b)         # 7-digit settlement date
    write(F, "bad.txt", ("\n".join("|".join(r) for r in bad) + "\n").encode("ascii"))

jlpay()

# ---------------------------------------------------------------- personal WeChat bill
def wechat_personal():
    F = "wechat-personal"
    Y = "\u00a5"     # the yen/yuan sign the bill writes before amounts (U+00A5)
    FW = "\uffe5"    # full-width ￥ used inside status text
    # (time, type, peer, goods, dir, amount, method, status, txn no, merchant no, note, canonical kind or None, quoted)
    rows = [
        ("2026-05-07 08:12:40", "二维码收款", "顾客甲", "收款方备注:二维码收款", "收入", "12.50", "/", "已存入零钱", "1000050101202605070812400001", "/", "/", "purchase", False),
        ("2026-05-07 07:55:03", "二维码收款", "顾客乙", "收款方备注:二维码收款", "收入", "8.00", "/", "已存入零钱", "1000050101202605070755030002", "/", "/", "purchase", True),
        ("2026-05-06 18:30:11", "零钱提现", "招商银行(1234)", "/", "/", "500.00", "招商银行(1234)", "提现已到账", "1330000101202605061830110003", "/", "服务费" + Y + "0.50", None, False),
        ("2026-05-06 12:20:45", "商户消费", "某某批发部", "一次性餐盒x200", "支出", "36.00", "零钱", "支付成功", "4200002601202605061220450004", "M20260506122041", "/", None, True),
        ("2026-05-06 11:40:02", "二维码收款-退款", "顾客丙", "/", "支出", "5.00", "零钱", "已退款", "1000050101202605061102170005_R1", "/", "/", "refund", False),
        ("2026-05-06 11:02:17", "二维码收款", "顾客丙", "收款方备注:二维码收款", "收入", "28.16", "/", "已退款(" + FW + "5.00)", "1000050101202605061102170005", "/", "/", "purchase", False),
        ("2026-05-05 20:01:09", "二维码收款", "顾客丁", "收款方备注:二维码收款", "收入", "45.00", "/", "已存入零钱", "1000050101202605052001090006", "/", "/", "purchase", False),
        ("2026-05-05 09:30:00", "转账", "房东", "转账备注:五月房租", "支出", "1200.00", "零钱通", "对方已收钱", "1000039901202605050930000007", "/", "/", None, False),
        ("2026-05-04 10:10:10", "二维码收款", "顾客戊", "收款方备注:二维码收款", "收入", "1288.00", "/", "已存入零钱", "1000050101202605041010100008", "/", "/", "purchase", False),
    ]
    inc = [r for r in rows if r[4] == "收入"]; out = [r for r in rows if r[4] == "支出"]; neu = [r for r in rows if r[4] == "/"]
    s = lambda rs: money(sum(D(r[5]) for r in rs))
    pad = "," * 10
    pre = ["微信支付账单明细", "微信昵称：[林记早餐]", "起始时间：[2026-05-01 00:00:00] 终止时间：[2026-05-07 23:59:59]",
           "导出类型：[全部]", "导出时间：[2026-05-08 09:15:02]", "",
           f"共{len(rows)}笔记录", f"收入：{len(inc)}笔 {s(inc)}元", f"支出：{len(out)}笔 {s(out)}元", f"中性交易：{len(neu)}笔 {s(neu)}元",
           "注：", "1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易",
           "2. 本明细仅展示当前账单中的交易，不包括已删除的记录", "3. 本明细仅供个人对账使用", "",
           "----------------------微信支付账单明细列表--------------------"]
    lines = [p + pad for p in pre]
    lines.append("交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注")
    for r in rows:
        q = (lambda x: '"' + x + '"') if r[12] else (lambda x: x)
        # trailing tab after 交易单号 / 商户单号 -- outside the closing quote when the row is quoted
        f = [r[0]] + [q(x) for x in r[1:5]] + [Y + r[5], q(r[6]), q(r[7]), q(r[8]) + "\t", q(r[9]) + "\t", q(r[10])]
        lines.append(",".join(f))
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    write(F, "sample.csv", data)
    exp = [dict(marker=r[8].encode() + (b"\"\t" if r[12] else b"\t"), time=r[0], amount=r[5], fee="0.00", channel="wechat", kind=r[11], rrn=r[8])
           for r in rows if r[11]]
    expected(F, data, sorted(exp, key=lambda e: find_line(data, e["marker"])))
    return inc, out, neu

wechat_personal()

# ---------------------------------------------------------------- personal Alipay bills
ALIPAY_NOTES = ["1.本回单内容可表明支付宝受理了相应支付交易申请，以实际交易情况为准；",
                "2.请勿将本回单作为收款方发货的凭据使用；", "3.非余额支付方式可能同时产生银行交易，请勿重复记账；",
                "4.本回单如经任何涂改、编造，均立即失去效力；", "5.充值提现、账户转存等不计入收入或支出；",
                "6.因统计逻辑不同，明细金额直接累加后可能与统计金额不一致；", "7.禁止将本回单用于非法用途；",
                "8.本明细仅展示当前账单中的交易，不包括已删除的记录；", "9.本明细仅供个人对账使用。"]

def pad(s, n):
    """Right-pad with spaces to n display columns (GBK bytes), as the app export does."""
    return s + " " * max(1, n - len(s.encode("gbk")))

def alipay_personal_2023():
    F = "alipay-personal-2023"
    # time, 分类, 对方, 对方账号, 商品说明, 收/支, 金额, 方式, 状态, 交易订单号, 商家订单号, 备注, kind
    rows = [
        ("2026-05-07 09:01:22", "收入", "*明", "138******21", "收钱码收款", "收入", "15.00", "", "交易成功", "2026050722001421830501120011", "", "", "purchase"),
        ("2026-05-07 08:44:09", "收入", "*芳", "fan***@163.com", "收钱码收款", "收入", "6.50", "", "交易成功", "2026050722001421830501120012", "", "", "purchase"),
        ("2026-05-06 19:12:40", "退款", "*红", "152******09", "退款-收钱码收款", "支出", "20.00", "余额", "退款成功", "2026050622001421830501120013_2026050600000301", "", "", "refund"),
        ("2026-05-06 18:05:31", "收入", "*红", "152******09", "收钱码收款", "收入", "58.00", "", "交易成功", "2026050622001421830501120013", "", "", "purchase"),
        ("2026-05-06 12:30:00", "日用百货", "某某超市", "sup***@qq.com", "纸巾x10", "支出", "23.90", "招商银行储蓄卡(1234)", "交易成功", "2026050622001421830501120014", "T2026050612295901", "", None),
        ("2026-05-06 12:10:00", "日用百货", "某某超市", "sup***@qq.com", "纸巾x10", "不计收支", "23.90", "", "交易关闭", "2026050622001421830501120015", "T2026050612095902", "", None),
        ("2026-05-05 21:00:03", "投资理财", "余额宝", "/", "余额宝-自动转入", "不计收支", "79.50", "余额", "交易成功", "20260505354217000001", "", "", None),
        ("2026-05-05 10:22:18", "收入", "*伟", "186******77", "收钱码收款", "收入", "1288.00", "", "交易成功", "2026050522001421830501120016", "", "", "purchase"),
    ]
    cnt = lambda d: [r for r in rows if r[5] == d]
    s = lambda rs: money(sum(D(r[6]) for r in rs))
    lines = ["-" * 84, "导出信息：", "姓名：林某", "支付宝账户：138****0000",
             "起始时间：[2026-05-01 00:00:00]    终止时间：[2026-05-07 23:59:59]", "导出交易类型：[全部]",
             "导出时间：[2026-05-08 09:20:11]", f"共{len(rows)}笔记录",
             f"收入：{len(cnt('收入'))}笔 {s(cnt('收入'))}元", f"支出：{len(cnt('支出'))}笔 {s(cnt('支出'))}元",
             f"不计收支：{len(cnt('不计收支'))}笔 {s(cnt('不计收支'))}元", "", "特别提示："] + ALIPAY_NOTES + ["",
             "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24]
    head = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额", "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]
    widths = [20, 24, 24, 24, 24, 22, 20, 24, 24, 14, 20, 20]
    lines.append("".join(pad(h, w) + "," for h, w in zip(head, widths)))
    for k, r in enumerate(rows):
        vals = list(r[:12]); vals[9] += "\t"; vals[10] += "\t"
        if k % 3 == 2:   # some rows unpadded, as the public example shows
            lines.append(",".join(vals) + ",")
        else:
            lines.append("".join((pad(v, w) if i not in (9, 10) else v) + "," for i, (v, w) in enumerate(zip(vals, widths))))
    data = ("\r\n".join(lines) + "\r\n").encode("gbk")
    write(F, "sample.csv", data)
    exp = [dict(marker=r[9].encode() + b"\t", time=r[0], amount=r[6], fee="0.00", channel="alipay", kind=r[12], rrn=r[9])
           for r in rows if r[12]]
    expected(F, data, exp)

def alipay_personal_2021():
    F = "alipay-personal-2021"
    # 收/支, 对方, 对方账号, 商品说明, 方式, 金额, 状态, 分类, 交易订单号, 商家订单号, 交易时间, kind
    rows = [
        ("收入", "*明", "138******21", "收钱码收款", "", "15.00", "交易成功", "收入", "2021060722001421830501120021", "", "2021-06-07 09:01:22", "purchase"),
        ("支出", "*红", "152******09", "退款-收钱码收款", "余额", "20.00", "退款成功", "退款", "2021060622001421830501120023_2021060600000301", "", "2021-06-06 19:12:40", "refund"),
        ("收入", "*红", "152******09", "收钱码收款", "", "58.00", "交易成功", "收入", "2021060622001421830501120023", "", "2021-06-06 18:05:31", "purchase"),
        ("支出", "某某超市", "sup***@qq.com", "纸巾x10", "招商银行(1234)", "23.90", "交易成功", "日用百货", "2021060622001421830501120024", "T2021060612295901", "2021-06-06 12:30:00", None),
        ("其他", "广发基金管理有限公司", "", "余额宝-单次转入", "余额", "79.50", "交易成功", "投资理财", "20210605354217000001", "", "2021-06-05 21:00:03", None),
        ("收入", "*伟", "186******77", "收钱码收款", "", "1288.00", "交易成功", "收入", "2021060522001421830501120026", "", "2021-06-05 10:22:18", "purchase"),
        ("支出", "某某超市", "sup***@qq.com", "纸巾x10", "招商银行(1234)", "23.90", "交易关闭", "日用百货", "2021060522001421830501120027", "T2021060512095902", "2021-06-05 12:10:00", None),
    ]
    cnt = lambda d: [r for r in rows if r[0] == d]
    s = lambda rs: money(sum(D(r[5]) for r in rs))
    head = ["收/支", "交易对方", "对方账号", "商品说明", "收/付款方式", "金额", "交易状态", "交易分类", "交易订单号", "商家订单号", "交易时间"]
    widths = [22, 24, 24, 24, 24, 20, 24, 24, 14, 20, 20]
    lines = ["-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
             "".join(pad(h, w) + "," for h, w in zip(head, widths))]
    for r in rows:
        vals = list(r[:11]); vals[8] += "\t"; vals[9] += "\t"
        lines.append("".join((pad(v, w) if i not in (8, 9) else v) + "," for i, (v, w) in enumerate(zip(vals, widths))))
    lines += ["-" * 84, "导出信息：", "姓名：林某", "支付宝账户：138****0000",
              "起始时间：[2021-06-01 00:00:00]    终止时间：[2021-06-07 23:59:59]", "导出时间：[2021-06-08 03:10:16]",
              f"共{len(rows)}笔记录", f"收入：{len(cnt('收入'))}笔,{s(cnt('收入'))}元", f"支出：{len(cnt('支出'))}笔,{s(cnt('支出'))}元",
              f"其他：{len(cnt('其他'))}笔,{s(cnt('其他'))}元", "", "特别提示："] + ALIPAY_NOTES
    data = ("\n".join(lines) + "\n").encode("gbk")
    write(F, "sample.csv", data)
    exp = [dict(marker=r[8].encode() + b"\t", time=r[10], amount=r[5], fee="0.00", channel="alipay", kind=r[11], rrn=r[8])
           for r in rows if r[11]]
    expected(F, data, exp)

alipay_personal_2023()
alipay_personal_2021()

# ---------------------------------------------------------------- WeChat Pay merchant trade bills
APPID, MCH = "wx8e4c6a1f20d3b7c5", "1612345678"
WX = [  # time, device, wx order, mch order, openid, type, state, bank, amount, refund, wx refund no, mch refund no, refund req, refund ok, goods, fee, orig-order amount
    ("2026-05-06 10:02:11", "T01", "4200002601202605060000000101", "M20260506100205", "oUpF8uA1", "NATIVE", "SUCCESS", "CMB_CREDIT", "128.00", None, None, None, None, None, "牛肉面套餐", "0.77"),
    ("2026-05-06 11:15:40", "T02", "4200002601202605060000000102", "M20260506111538", "oUpF8uB2", "MICROPAY", "SUCCESS", "ICBC_DEBIT", "36.50", None, None, None, None, None, "豆浆油条", "0.22"),
    ("2026-05-06 12:05:00", "T01", "4200002601202605060000000103", "M20260506120457", "oUpF8uC3", "JSAPI", "SUCCESS", "OTHERS", "9.90", None, None, None, None, None, "小程序外卖", "0.06"),
    ("2026-05-06 12:40:22", "T02", "4200002601202605060000000104", "M20260506124019", "oUpF8uD4", "MICROPAY", "SUCCESS", "OTHERS", "58.00", None, None, None, None, None, "家庭套餐", "0.35"),
    ("2026-05-06 12:41:05", "T02", "4200002601202605060000000104", "M20260506124019", "oUpF8uD4", "MICROPAY", "REVOKED", "OTHERS", "58.00", "58.00", "50300706012026050600000201", "M20260506124019", "2026-05-06 12:41:05", "2026-05-06 12:41:06", "家庭套餐", "-0.35"),
    ("2026-05-06 15:30:00", "T01", "4200002601202605060000000101", "M20260506100205", "oUpF8uA1", "NATIVE", "REFUND", "CMB_CREDIT", "128.00", "28.00", "50300706012026050600000202", "R20260506153000", "2026-05-06 15:30:00", "2026-05-06 15:30:03", "牛肉面套餐", "-0.17"),
    ("2026-05-06 18:20:45", "T01", "4200002601202605060000000105", "M20260506182040", "oUpF8uE5", "NATIVE", "SUCCESS", "CCB_CREDIT", "1288.00", None, None, None, None, None, "包间宴席", "7.73"),
    ("2026-05-06 23:59:59", "", "4200002601202605060000000106", "M20260506235958", "oUpF8uF6", "JSAPI", "SUCCESS", "OTHERS", "0.01", None, None, None, None, None, "测试商品", "0.00"),
]
f5 = lambda x: f"{D(x):.5f}"

def wx_cells(r, variant):
    t, dev, wxo, mo, oid, ty, st, bank, amt, rf, wrf, mrf, rq, rok, goods, fee = r
    ok = st == "SUCCESS"
    settle = amt if ok else "0.00"
    common = [t if variant != "REFUND" else WX_ORIG_TIME[wxo], APPID, MCH, "0", dev, wxo, mo, oid, ty, st, bank, "CNY"]
    if variant == "V1":
        return common[:3] + ["0"] + common[4:] + [settle, "0.00", wrf or "0", mrf or "0", rf or "0.00", "0.00",
                              "ORIGINAL" if rf else "", "SUCCESS" if rf else "", goods, "", f5(fee), "0.60%"]
    if variant == "SUCCESS":
        return common + [settle, "0.00", goods, "", f5(fee), "0.60%", amt, ""]
    if variant == "REFUND":
        return common + [settle, "0.00", rq, rok, wrf, mrf, rf, "0.00", "ORIGINAL", "SUCCESS", goods, "", f5(fee), "0.60%", "0.00", rf, ""]
    return common + [settle, "0.00", wrf or "0", mrf or "0", rf or "0.00", "0.00", "ORIGINAL" if rf else "",
                     "SUCCESS" if rf else "", goods, "", f5(fee), "0.60%", amt if ok else "0.00", rf or "0.00", ""]

WX_ORIG_TIME = {r[2]: r[0] for r in WX if r[6] == "SUCCESS"}
WX_HEAD = {
    "ALL": "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注",
    "SUCCESS": "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注",
    "REFUND": "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注",
    "V1": "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率",
}

def wechat_merchant(variant, folder, bom, eol):
    rows = [r for r in WX if variant in ("ALL", "V1") or (variant == "SUCCESS") == (r[6] == "SUCCESS")]
    sm = lambda xs: money(sum(D(x) for x in xs))
    settle = sm(r[8] for r in rows if r[6] == "SUCCESS"); refund = sm(r[9] for r in rows if r[9])
    fee = f5(sum(D(r[15]) for r in rows))
    lines = [WX_HEAD[variant]] + [",".join("`" + c for c in wx_cells(r, variant)) for r in rows]
    if variant == "V1":
        lines += ["总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额", f"`{len(rows)},`{settle},`{refund},`0.00,`{fee}"]
    elif variant == "SUCCESS":
        lines += ["总交易单数,应结订单总金额,手续费总金额,订单总金额", f"`{len(rows)},`{settle},`{fee},`{settle}"]
    else:
        lines += ["总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
                  f"`{len(rows)},`{settle},`{refund},`0.00,`{fee},`{settle},`{refund}"]
    data = (("\ufeff" if bom else "") + eol.join(lines) + eol).encode("utf-8")
    write(folder, "sample.csv", data)
    kind = {"SUCCESS": "purchase", "REFUND": "refund", "REVOKED": "void"}
    exp = []
    for r in rows:
        k = kind[r[6]]
        marker = ("`" + (r[12] if k != "purchase" and variant == "REFUND" else "") ).encode()
        line_key = ",".join("`" + c for c in wx_cells(r, variant))
        exp.append(dict(marker=("=" + line_key).encode(), time=r[12] if variant == "REFUND" else r[0],
                        amount=r[9] if k != "purchase" else r[8], fee=f5(r[15]), channel="wechat", kind=k,
                        rrn=r[11] if k == "refund" else r[3], terminal=r[1]))
    expected(folder, data, exp)
    return data, lines

def wechat_merchant_all():
    data, lines = wechat_merchant("ALL", "wechat-merchant-all", True, "\r\n")
    bad = list(lines[:3])
    c = lines[3].split(","); c[0] = "`2026-05-06 25:05:00"; bad.append(",".join(c))        # line 4: hour 25
    c = lines[4].split(","); c[12] = "`58.0.0"; bad.append(",".join(c))                     # line 5: amount
    c = lines[5].split(","); c[9] = "`CLOSED"; bad.append(",".join(c))                      # line 6: unknown state
    bad.append(",".join(lines[6].split(",")[:20]))                                          # line 7: 20 of 27 fields
    c = lines[7].split(","); c[22] = "`abc"; bad.append(",".join(c))                        # line 8: fee not a number
    bad.append(lines[8])                                                                    # line 9: good
    bad += lines[-2:]                                                                       # summary says 8 rows
    write("wechat-merchant-all", "bad.csv", ("\ufeff" + "\r\n".join(bad) + "\r\n").encode("utf-8"))

wechat_merchant_all()
wechat_merchant("SUCCESS", "wechat-merchant-success", False, "\n")
wechat_merchant("REFUND", "wechat-merchant-refund", False, "\r\n")
wechat_merchant("V1", "wechat-merchant-all-v1", False, "\n")

# ---------------------------------------------------------------- Alipay merchant 业务明细
def alipay_merchant():
    F = "alipay-merchant-detail"
    # trade no, order no, type, goods, created, finished, store, terminal, buyer, amount, received, refund batch, fee, kind
    rows = [
        ("2026050622001401230500000101", "A20260506100501", "交易", "午市套餐", "2026-05-06 10:05:01", "2026-05-06 10:05:09", "S01", "T01", "*明(138****0021)", "68.00", "68.00", "", "-0.41", "purchase"),
        ("2026050622001401230500000102", "A20260506113012", "交易", "咖啡", "2026-05-06 11:30:12", "2026-05-06 11:30:15", "S01", "T02", "*芳(fan***@163.com)", "25.00", "25.00", "", "-0.15", "purchase"),
        ("2026050622001401230500000103", "A20260506120020", "交易", "家庭套餐", "2026-05-06 12:00:20", "2026-05-06 12:00:31", "S01", "T01", "*红(152****0009)", "188.00", "188.00", "", "-1.13", "purchase"),
        ("2026050622001401230500000103", "A20260506120020", "退款", "家庭套餐", "2026-05-06 14:10:00", "2026-05-06 14:10:02", "S01", "T01", "*红(152****0009)", "-88.00", "-88.00", "RF20260506141000", "0.53", "refund"),
        ("2026050622001401230500000104", "A20260506183344", "交易", "包间宴席", "2026-05-06 18:33:44", "2026-05-06 18:34:02", "S01", "", "*伟(186****0077)", "1288.00", "1288.00", "", "-7.73", "purchase"),
        ("2026050622001401230500000105", "A20260506235930", "交易", "夜宵", "2026-05-06 23:59:30", "2026-05-07 00:00:04", "S01", "T02", "*强(139****0042)", "36.00", "36.00", "", "-0.22", "purchase"),
    ]
    head = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注"
    def cells(r):
        return [r[0] + "\t", r[1] + "\t", r[2] + "\t", r[3], r[4], r[5], r[6] + "\t", "林记总店\t", "收银员1\t", r[7] + "\t", r[8] + "\t",
                r[9], r[10], "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00\t", "0.00", r[11] + "\t", r[12], "0.00", ""]
    tr = [r for r in rows if r[2] == "交易"]; rf = [r for r in rows if r[2] == "退款"]
    sm = lambda rs: money(sum(D(r[10]) for r in rs))
    lines = ["#支付宝业务明细查询", "#账号：[20880123456789010156]",
             "#起始日期：[2026年05月06日 00:00:00]   终止日期：[2026年05月07日 00:00:00]",
             "#-----------------------------------------业务明细列表----------------------------------------", head]
    lines += [",".join(cells(r)) for r in rows]
    lines += ["#-----------------------------------------业务明细列表结束------------------------------------",
              f"#交易合计：{len(tr)}笔，商家实收共{sm(tr)}元，商家优惠共0.00元",
              f"#退款合计：{len(rf)}笔，商家实收退款共{sm(rf)}元，商家优惠退款共0.00元",
              "#导出时间：[2026年05月07日 09:12:34]"]
    data = ("\r\n".join(lines) + "\r\n").encode("gbk")
    write(F, "sample.csv", data)
    exp = []
    for r in rows:
        fee = -D(r[12])   # 服务费 is written as money moved: −x charged on a trade, +x returned on a refund
        # settlement date: the date of 完成时间 (posfee's alipay-business profile; the file has no settlement column)
        exp.append(dict(marker=("=" + ",".join(cells(r))).encode("gbk"), time=r[4], settlement_date=r[5][:10],
                        amount=money(abs(D(r[9]))), fee=money(fee),
                        channel="alipay", kind=r[13], rrn=r[11] if r[13] == "refund" else r[1], terminal=r[7]))
    expected(F, data, exp)

# ---------------------------------------------------------------- UnionPay-style bank POS CSV (today's format)
BANK_HEAD = "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型"
BANK_MER = "898440358120017"
BANK = [  # date, term, tdate, ttime, amount(signed), fee(signed), rrn, card, type, kind, channel
    ("20260507", "80010001", "20260506", "093012", "1288.00", "7.08", "126093012001", "贷记卡", "消费", "purchase", "credit"),
    ("20260507", "80010001", "20260506", "101544", "5600.00", "20.00", "126101544002", "借记卡", "消费", "purchase", "debit"),
    ("20260507", "80010001", "20260506", "112003", "99.00", "0.38", "126112003003", "银联二维码", "消费", "purchase", "unionpay_qr"),
    ("20260507", "80010002", "20260506", "120510", "36.00", "0.14", "126120510004", "云闪付", "消费", "purchase", "quickpass"),
    ("20260507", "80010001", "20260506", "133301", "300.00", "1.65", "126133301005", "贷记卡", "消费", "purchase", "credit"),
    ("20260507", "80010001", "20260506", "134015", "-300.00", "-1.65", "126134015006", "贷记卡", "撤销", "void", "credit"),
    ("20260507", "80010002", "20260506", "160722", "-200.00", "0.00", "126160722007", "借记卡", "退货", "refund", "debit"),
    ("20260507", "80010002", "20260506", "215959", "2,680.00", "14.74", "126215959008", "准贷记卡", "消费", "purchase", "debit"),  # posfee prices 准贷记卡 as debit (read.rs)
]
def bank_line(r):
    amt = r[4].replace(",", "")
    settle = money(D(amt) - D(r[5]))
    a = '"' + r[4] + '"' if "," in r[4] else r[4]
    return ",".join([r[0], BANK_MER, r[1], r[2], r[3], a, r[5], settle, r[6], r[7], r[8]])

def bank_csv():
    F = "bank-pos-csv"
    body = [bank_line(r) for r in BANK]
    tot_a = money(sum(D(r[4].replace(",", "")) for r in BANK)); tot_f = money(sum(D(r[5]) for r in BANK))
    tot_s = money(D(tot_a) - D(tot_f))
    lines = ["POS交易清算明细（商户：林记餐饮有限公司）", "清算日期：2026-05-07", BANK_HEAD] + body + \
            [f"合计,,,,,{tot_a},{tot_f},{tot_s},,{len(BANK)}笔,"]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    write(F, "sample.csv", data)
    exp = [dict(marker=("=" + bank_line(r)).encode(), settlement_date="2026-05-07",
                time=f"2026-05-06 {r[3][:2]}:{r[3][2:4]}:{r[3][4:]}", amount=money(abs(D(r[4].replace(",", "")))),
                fee=r[5], channel=r[10], kind=r[9], rrn=r[6], terminal=r[1], merchant_no=BANK_MER) for r in BANK]
    expected(F, data, exp)
    bad = [BANK_HEAD, bank_line(BANK[0])]
    c = bank_line(BANK[1]).split(","); c[0] = "20260532"; bad.append(",".join(c))          # line 3
    c = bank_line(BANK[2]).split(","); c[5] = "9x.00"; bad.append(",".join(c))             # line 4
    bad.append(",".join(bank_line(BANK[3]).split(",")[:8]))                                  # line 5
    c = bank_line(BANK[4]).split(","); c[10] = "预授权"; bad.append(",".join(c))             # line 6
    c = bank_line(BANK[5]).split(","); c[4] = "134075"; bad.append(",".join(c))             # line 7: second 75
    bad.append(bank_line(BANK[6]))                                                           # line 8 good
    bad.append('20260507,898440358120017,80010002,20260506,215959,"2,680.00,14.74,2665.26,126215959008,准贷记卡,消费')  # line 9 open quote
    bad.append("20260507,898440358120017,80010001,20260506,220000,50.00,0.28,49.72,126220000009,贷记卡,消费")        # line 10 good
    bad.append("合计,,,,,9999.00,0.00,9999.00,,9笔,")                                         # line 11 wrong totals
    write(F, "bad.csv", ("\r\n".join(bad) + "\r\n").encode("utf-8"))

alipay_merchant()
bank_csv()

# ---------------------------------------------------------------- Allinpay 通联收银宝 (34 columns)
ALLIN_HEAD = ["商户号", "门店名称", "终端号", "交易时间", "交易类型", "交易批次号", "凭证号", "参考号", "卡号", "卡类别", "发卡行机构代码", "发卡行名称",
              "交易金额", "手续费", "交易日期", "交易单号", "订单号", "商户备注", "对接应用号", "原始金额", "结算金额", "产品类型", "分期贴息",
              "交易完成时间", "持卡人姓名", "持卡人身份证", "分期数", "优惠金额", "实付金额", "原交易单", "渠道交易类型", "出金方账户名称", "门店编号", "交易完成日期"]
def allinpay():
    F = "allinpay-vsp"
    CUS = "552581058120017"
    # time, type, batch, trace, rrn, card, cardtype, bank code, bank, amount, fee(signed), trx id, order, orig trx, chan type, done time, kind, channel
    rows = [
        ("09:12:44", "消费", "000021", "000311", "506091244311", "622588******3021", "贷记卡", "03080000", "招商银行", "1288.00", "7.08", "26050609124400000311", "", "", "POS消费", "09:12:47", "purchase", "credit"),
        ("10:20:05", "消费", "000021", "000312", "506102005312", "621700******8842", "借记卡", "01050000", "建设银行", "5600.00", "20.00", "26050610200500000312", "", "", "POS消费", "10:20:09", "purchase", "debit"),
        ("11:02:30", "微信支付", "", "", "", "", "微信", "", "", "36.00", "0.14", "26050611023000000313", "SO260506110228", "", "微信被扫", "11:02:32", "purchase", "wechat"),
        ("11:40:18", "支付宝支付", "", "", "", "", "支付宝", "", "", "58.00", "0.22", "26050611401800000314", "SO260506114016", "", "支付宝被扫", "11:40:19", "purchase", "alipay"),
        ("12:15:00", "银联扫码支付", "", "", "", "", "银联二维码", "", "", "99.00", "0.38", "26050612150000000315", "SO260506121458", "", "银联被扫", "12:15:02", "purchase", "unionpay_qr"),
        ("13:30:10", "消费", "000021", "000316", "506133010316", "436742******1188", "贷记卡", "01040000", "中国银行", "300.00", "1.65", "26050613301000000316", "", "", "POS消费", "13:30:12", "purchase", "credit"),
        ("13:35:40", "消费撤销", "000021", "000317", "506133540317", "436742******1188", "贷记卡", "01040000", "中国银行", "300.00", "-1.65", "26050613354000000317", "", "26050613301000000316", "POS消费撤销", "13:35:41", "void", "credit"),
        ("16:05:55", "退货", "000021", "000318", "506160555318", "621700******8842", "借记卡", "01050000", "建设银行", "200.00", "0.00", "26050616055500000318", "", "26050510200500000288", "POS退货", "16:05:58", "refund", "debit"),
        ("17:45:12", "微信支付退款", "", "", "", "", "微信", "", "", "36.00", "-0.14", "26050617451200000319", "SO260506110228", "26050611023000000313", "微信退款", "17:45:13", "refund", "wechat"),
    ]
    def cells(r):
        sign = -1 if r[16] != "purchase" else 1
        settle = money(sign * D(r[9]) - D(r[10]))
        return [CUS, "林记总店", "80010001", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], "2026-05-06", r[11], r[12], "",
                "00000051", r[9], settle, "1", "0.00", r[15], "", "", "", "0.00", r[9], r[13], r[14], "", "S001", "2026-05-06"]
    lines = [",".join(ALLIN_HEAD)] + [",".join(cells(r)) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("gbk")
    write(F, "sample.csv", data)
    exp = [dict(marker=("=" + ",".join(cells(r))).encode("gbk"), time="2026-05-06 " + r[0], amount=r[9], fee=r[10],
                channel=r[17], kind=r[16], rrn=r[4] if r[4] else r[12], terminal="80010001", merchant_no=CUS, batch=r[2]) for r in rows]
    expected(F, data, exp)

# ---------------------------------------------------------------- Leshua 乐刷 (BT/BV, fen)
LS_HEAD = ["记录类型", "编号", "交易时间", "订单号", "商户号", "费率(万分之一)", "交易金额(分)", "手续费(分)", "结算金额(分)", "资金流向", "交易类型", "支付方式", "卡类型",
           "商户优惠类型", "参考号", "凭证号", "终端号", "第三方订单号", "第三方退款号", "支付时间", "上游订单号(网、银联)", "上游订单号(微信、支付宝)", "付款银行", "消费者标识", "扫码支付交易类型"]
def leshua():
    F = "leshua-trade"
    M = "5800108651"
    # time, order, rate, amt fen, fee fen (signed), flow, type, pay, card, rrn, voucher, term, 3rd order, 3rd refund, paytime, up1, up2, bank, user, scan type, kind, channel
    rows = [
        ("2026-05-06 09:15:20", "2605060915201101", "55", "128800", "708", "进账", "消费", "刷卡支付", "信用卡", "506091520101", "000101", "80010001", "*", "*", "2026-05-06 09:15:22", "*", "*", "*", "*", "*", "purchase", "credit"),
        ("2026-05-06 10:01:02", "2605061001021102", "45", "560000", "1800", "进账", "消费", "刷卡支付", "借记卡", "506100102102", "000102", "80010001", "*", "*", "2026-05-06 10:01:05", "*", "*", "*", "*", "*", "purchase", "debit"),
        ("2026-05-06 11:30:45", "2605061130451103", "38", "3600", "14", "进账", "未获取", "微信支付", "*", "*", "*", "*", "LS20260506113040", "*", "2026-05-06 11:30:47", "*", "4200002601202605061130450001", "CMB_CREDIT", "oUpF8uA1", "MICROPAY", "purchase", "wechat"),
        ("2026-05-06 12:02:10", "2605061202101104", "38", "15800", "60", "进账", "未获取", "支付宝支付", "*", "*", "*", "*", "LS20260506120205", "*", "2026-05-06 12:02:12", "*", "2026050622001401230500000201", "ALIPAYACCOUNT", "2088102000000001", "NATIVE", "purchase", "alipay"),
        ("2026-05-06 13:20:00", "2605061320001105", "55", "30000", "165", "进账", "消费", "刷卡支付", "信用卡", "506132000105", "000103", "80010001", "*", "*", "2026-05-06 13:20:02", "*", "*", "*", "*", "*", "purchase", "credit"),
        ("2026-05-06 13:26:31", "2605061326311106", "55", "30000", "-165", "出账", "消费撤销", "刷卡支付", "信用卡", "506132631106", "000104", "80010001", "*", "*", "2026-05-06 13:26:32", "*", "*", "*", "*", "*", "void", "credit"),
        ("2026-05-06 15:40:09", "2605061540091107", "38", "1000", "-4", "退款", "退货成功", "微信支付", "*", "*", "*", "*", "LS20260506113040", "LR20260506154005", "2026-05-06 15:40:11", "*", "4200002601202605061130450001", "CMB_CREDIT", "oUpF8uA1", "MICROPAY", "refund", "wechat"),
        ("2026-05-06 16:10:00", "2605061610001108", "45", "20000", "0", "退款", "退货成功", "刷卡支付", "借记卡", "506161000108", "000105", "80010001", "*", "*", "2026-05-06 16:10:03", "*", "*", "*", "*", "*", "refund", "debit"),
    ]
    def cells(n, r):
        sign = 1 if r[20] == "purchase" else -1
        settle = str(sign * int(r[3]) - int(r[4]))
        return ["BV", str(n), r[0], r[1], M, r[2], r[3], r[4], settle, r[5], r[6], r[7], r[8], "标准类", r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], r[18], r[19]]
    lines = [",".join(["BT", "0"] + LS_HEAD[2:])] + [",".join(cells(n + 1, r)) for n, r in enumerate(rows)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write(F, "sample.txt", data)
    na = lambda v: "" if v == "*" else v
    exp = [dict(marker=("=" + ",".join(cells(n + 1, r))).encode(), time=r[0], amount=money(D(r[3]) / 100), fee=money(D(r[4]) / 100),
                channel=r[21], kind=r[20], rrn=na(r[9]) if r[7] == "刷卡支付" else (na(r[13]) or r[12]), terminal=na(r[11]), merchant_no=M)
           for n, r in enumerate(rows)]
    expected(F, data, exp)

# ---------------------------------------------------------------- UnionPay online ACP ZM (fixed width, GBK)
ZM_W = [3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98]
def zm_field(v, w, num=False):
    b = v.encode("gbk")
    assert len(b) <= w, (v, w)
    return (b"0" * (w - len(b)) + b) if num else (b + b" " * (w - len(b)))

def acp_zm():
    F = "unionpay-acp-zm"
    MER = "777290058120001"
    # code, trace, MMDDhhmmss, card, fen, query id, order, cardtype, orig trace, orig time, fee sign+fen, txnType, term, sub abbr, kind, channel, full time
    rows = [
        ("S22", "100101", "0505233012", "622588******3021", 12880, "302605052330120010101", "ORD20260505233010", "02", "", "", ("D", 71), "01", "", "林记餐饮", "purchase", "credit", "2026-05-05 23:30:12"),
        ("S22", "100102", "0506091511", "621700******8842", 560000, "302605060915110010102", "ORD20260506091509", "01", "", "", ("D", 2000), "01", "80010001", "林记餐饮", "purchase", "debit", "2026-05-06 09:15:11"),
        ("S22", "100103", "0506120044", "436742******1188", 30000, "302605061200440010103", "ORD20260506120042", "03", "", "", ("D", 165), "01", "", "林记餐饮", "purchase", "credit", "2026-05-06 12:00:44"),
        ("S31", "100104", "0506120530", "436742******1188", 30000, "302605061205300010104", "ORD20260506120042V", "03", "100103", "0506120044", ("C", 165), "31", "", "林记餐饮", "void", "credit", "2026-05-06 12:05:30"),
        ("S30", "100105", "0506153301", "622588******3021", 5000, "302605061533010010105", "RFD20260506153300", "02", "100101", "0505233012", ("C", 28), "04", "", "林记餐饮", "refund", "credit", "2026-05-06 15:33:01"),
        ("S22", "100106", "0506224959", "621483******0066", 9900, "302605062249590010106", "ORD20260506224958", "01", "", "", ("D", 50), "01", "", "林记餐饮", "purchase", "debit", "2026-05-06 22:49:59"),
    ]
    recs = []
    for r in rows:
        sign = "C" if r[14] == "purchase" else "D"     # settlement amount: C = credited to the merchant
        settle = r[4] - r[10][1] if r[14] == "purchase" else r[4] - r[10][1]
        vals = [(r[0], 0), ("48020000", 0), ("48020000", 0), (r[1], 0), (r[2], 0), (r[3], 0), (str(r[4]), 1), ("5812", 0), ("07", 0),
                (r[5], 0), ("", 0), (r[6], 0), (r[7], 0), (r[8], 0), (r[9], 0), (r[10][0] + f"{r[10][1]:012d}", 0),
                (sign + f"{settle:012d}", 0), ("", 0), ("", 0), (r[11], 0), ("01" if r[11] != "04" else "00", 0), ("000201", 0),
                ("01", 0), ("", 0), ("", 0), ("", 0), (r[5] if r[14] != "purchase" else "", 0), (MER, 0), ("", 0), ("", 0), (r[13], 0),
                ("", 0), ("", 0), (r[12], 0), ("", 0), ("", 0), ("", 0), ("", 0), ("", 0), ("", 0), ("", 0), ("", 0)]
        assert len(vals) == len(ZM_W)
        recs.append(b" ".join(zm_field(v, w, n) for (v, n), w in zip(vals, ZM_W)))
    assert all(len(x) == sum(ZM_W) + len(ZM_W) - 1 for x in recs)
    data = b"\r\n".join(recs) + b"\r\n"
    write(F, "sample.txt", data)
    exp = [dict(marker=b"=" + rec, settlement_date="2026-05-06", time=r[16], amount=money(D(r[4]) / 100),
                fee=money(D(r[10][1]) / 100 * (1 if r[10][0] == "D" else -1)), channel=r[15], kind=r[14], rrn=r[6],
                terminal=r[12], merchant_no=MER) for r, rec in zip(rows, recs)]
    expected(F, data, exp)
    return sum(ZM_W) + len(ZM_W) - 1

allinpay()
leshua()
print("ZM record length", acp_zm())
