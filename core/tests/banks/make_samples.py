"""Writes the bank statement test files under core/tests/banks/ (python3 make_samples.py).

Each folder has `sample.csv` (written here from the bank's published layout, as the public
importers cited in core/data/banks/<profile>.toml read it, with its quirks: encoding, line
ends, preambles, padding, footers) and `expected.csv` (the rows a correct reader gives, written
out by hand below, not derived from the sample). Nothing is copied from another project: the
names, amounts and accounts are made up.

expected.csv columns: line (true 1-based line), date, time, amount (signed yuan: + in, - out),
balance, counterparty, counterparty_account, summary, memo, acquirer (yes when the default
acquirer texts mark the row as the acquirer's)."""
import csv, io, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["line", "date", "time", "amount", "balance", "counterparty", "counterparty_account", "summary", "memo", "acquirer"]


def write(folder, text, expected, encoding="utf-8", newline="\n"):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    data = text.replace("\n", newline).encode(encoding)
    with open(os.path.join(HERE, folder, "sample.csv"), "wb") as f:
        f.write(data)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for row in expected:
        w.writerow(row)
    with open(os.path.join(HERE, folder, "expected.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    # Every expected line holds the row's date as the file writes it.
    lines = data.decode(encoding).replace("\r\n", "\n").split("\n")
    for row in expected:
        line = lines[int(row[0]) - 1]
        assert row[1].replace("-", "") in line.replace("-", ""), (folder, row[0], line)


# ICBC: GBK, CRLF, a preamble with blank lines, values padded with spaces and a tab, `-` for
# none, a trailing comma, a line holding one space, and the 人民币合计 footer (sums of the
# 记账金额 columns). Newest rows first.
T = "\t"
icbc = (
    "明细查询文件下载\n"
    "\n"
    "卡号: 6222****0001,\"卡别名: 店铺收款\"\n"
    "\n"
    "子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"\n"
    "\n"
    "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名\n"
    f"2026-11-03     {T},\"他行汇入            {T}\",\"                    {T}\",\"CHN                 {T}\",钞        {T},\"-                   {T}\",\"-                   {T}\",-              {T},\"12,345.67           {T}\",\"                    {T}\",人民币         {T},\"32,345.67           {T}\",\"拉卡拉支付股份有限公司                                {T}\",\n"
    f"2026-11-02     {T},\"消费                {T}\",\"财付通-美团          {T}\",\"CHN                 {T}\",钞        {T},\"-                   {T}\",\"-                   {T}\",-              {T},\"                    {T}\",\"13.40               {T}\",人民币         {T},\"20,000.00           {T}\",\"深圳市财付通支付科技有限公司                          {T}\",\n"
    f"2026-11-02     {T},\"网转                {T}\",\"手机银行            {T}\",\"CHN                 {T}\",钞        {T},\"-                   {T}\",\"-                   {T}\",-              {T},\"                    {T}\",\"500.00              {T}\",人民币         {T},\"20,013.40           {T}\",\"王五                                                  {T}\",\n"
    f"2026-11-01     {T},\"他行汇入            {T}\",\"                    {T}\",\"CHN                 {T}\",钞        {T},\"-                   {T}\",\"-                   {T}\",-              {T},\"8,000.00            {T}\",\"                    {T}\",人民币         {T},\"20,513.40           {T}\",\"上海盛付通电子支付服务有限公司                        {T}\",\n"
    " \n"
    f"人民币合计,,,,,,,,\"20,345.67          {T}\",\"513.40            {T}\",\n"
)
write("icbc-debit", icbc, [
    [8, "2026-11-03", "", "12345.67", "32345.67", "拉卡拉支付股份有限公司", "", "他行汇入", "", "yes"],
    [9, "2026-11-02", "", "-13.40", "20000.00", "深圳市财付通支付科技有限公司", "", "消费", "财付通-美团", "no"],
    [10, "2026-11-02", "", "-500.00", "20013.40", "王五", "", "网转", "手机银行", "no"],
    [11, "2026-11-01", "", "8000.00", "20513.40", "上海盛付通电子支付服务有限公司", "", "他行汇入", "", "yes"],
], encoding="gbk", newline="\r\n")

# CMB: UTF-8, LF, no preamble; one signed amount column with thousands separators in quotes;
# 对手信息 runs the counterparty's name and account together; a row in US dollars is skipped.
cmb = (
    "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n"
    "2026-11-02,CNY,\"12,246.67\",\"15,000.00\",代发,拉卡拉支付股份有限公司6222000011112222,结算款\n"
    "2026-11-02,CNY,-99.00,\"14,901.00\",代扣,拉卡拉支付股份有限公司6222000011112222,流量费\n"
    "2026-11-03,CNY,\"-1,000.00\",\"13,901.00\",转账汇款,张三 66666666666666,转账\n"
    "2026-11-04,USD,100.00,100.00,结汇,,\n"
    "2026-11-04,CNY,-3.00,\"13,898.00\",一网通支付,国网电力有限公司99999999999999,\n"
)
write("cmb-debit", cmb, [
    [2, "2026-11-02", "", "12246.67", "15000.00", "拉卡拉支付股份有限公司6222000011112222", "", "代发", "结算款", "yes"],
    [3, "2026-11-02", "", "-99.00", "14901.00", "拉卡拉支付股份有限公司6222000011112222", "", "代扣", "流量费", "yes"],
    [4, "2026-11-03", "", "-1000.00", "13901.00", "张三 66666666666666", "", "转账汇款", "转账", "no"],
    [6, "2026-11-04", "", "-3.00", "13898.00", "国网电力有限公司99999999999999", "", "一网通支付", "", "no"],
])

# CCB: GBK, CRLF, a three-line preamble, dates yyyyMMdd, signed amounts, currency 人民币元,
# the counterparty's account and name in one column.
ccb = (
    "中国建设银行个人活期账户交易明细\n"
    "客户名称:沪上小馆,卡号/账号:6217001234567890123\n"
    "起始日期:20261101,结束日期:20261130\n"
    "序号,摘要,币别,钞汇,交易日期,交易金额,账户余额,交易地点/附言,对方账号与户名\n"
    "1,转账存入,人民币元,钞,20261102,\"8,765.43\",\"18,765.43\",结算款,6228480000000001/银联商务股份有限公司\n"
    "2,消费,人民币元,钞,20261102,-58.00,\"18,707.43\",某某超市,\n"
    "3,利息存入,人民币元,钞,20261121,1.23,\"18,708.66\",,\n"
)
write("ccb-debit", ccb, [
    [5, "2026-11-02", "", "8765.43", "18765.43", "6228480000000001/银联商务股份有限公司", "", "转账存入", "结算款", "yes"],
    [6, "2026-11-02", "", "-58.00", "18707.43", "", "", "消费", "某某超市", "no"],
    [7, "2026-11-21", "", "1.23", "18708.66", "", "", "利息存入", "", "no"],
], encoding="gbk", newline="\r\n")

# ABC: dates yyyyMMdd, times HHmmss (sometimes empty), amounts with an explicit + or -, `--`
# for no counterparty, rows that end after the log number.
abc = (
    "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日 志 号,交易渠道,交易附言\n"
    "20261102,093015,转存,+5432.10,15432.10,通联支付网络服务股份有限公司,369396693,超级网银,结算款\n"
    "20261102,132324,财付通,-10.00,15422.10,微信支付北京一卡通,369333999,电子商务,UA01234微信支付-北京一卡通\n"
    "20261103,,正常还款,-2345.89,13076.21,12341234123412341,111222333\n"
    "20261121,,结息,+0.01,13076.22,--,0000000000,,个人活期结息\n"
)
write("abc-debit", abc, [
    [2, "2026-11-02", "09:30:15", "5432.10", "15432.10", "通联支付网络服务股份有限公司", "", "转存", "结算款", "yes"],
    [3, "2026-11-02", "13:23:24", "-10.00", "15422.10", "微信支付北京一卡通", "", "财付通", "UA01234微信支付-北京一卡通", "no"],
    [4, "2026-11-03", "", "-2345.89", "13076.21", "12341234123412341", "", "正常还款", "", "no"],
    [5, "2026-11-21", "", "0.01", "13076.22", "", "", "结息", "个人活期结息", "no"],
])

# BOC: UTF-8 with BOM, a title line, runs of dashes for empty values, an Alipay balance
# withdrawal (网上快捷提现) and a card-organisation credit from Shengfutong.
boc = (
    "\ufeff中国银行交易流水明细单\n"
    "记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,对方卡号/账号,对方开户行,借记卡号\n"
    "2026-11-02,09:12:40,人民币,\"3,000.00\",\"3,616.68\",网上快捷提现,银企对接,-------------------,支付宝-沪上小馆-沪上小馆支付宝余额提现-沪上小馆,支付宝-沪上小馆,2088******0156,支付宝,3167\n"
    "2026-11-02,12:24:20,人民币,-326.00,\"3,290.68\",网上快捷支付,银企对接,-------------------,支付宝-李四,支付宝-李四,Z200******010N,-------------------,3167\n"
    "2026-11-03,16:00:44,人民币,\"5,771.00\",\"9,061.68\",银联入账,卡组织线上/无卡交易,-------------------,----------,上海盛付通电子支付服务有限公司,4520******1924,-------------------,3167\n"
)
write("boc-debit", boc, [
    [3, "2026-11-02", "09:12:40", "3000.00", "3616.68", "支付宝-沪上小馆", "2088******0156", "网上快捷提现", "支付宝-沪上小馆-沪上小馆支付宝余额提现-沪上小馆", "yes"],
    [4, "2026-11-02", "12:24:20", "-326.00", "3290.68", "支付宝-李四", "Z200******010N", "网上快捷支付", "支付宝-李四", "no"],
    [5, "2026-11-03", "16:00:44", "5771.00", "9061.68", "上海盛付通电子支付服务有限公司", "4520******1924", "银联入账", "", "yes"],
])
# ---- Business (对公) accounts: one file per bank's business online banking export.

# ICBC business: GBK, CRLF, a preamble with a blank line, an unsigned 金额 with a 借/贷 column,
# quoted thousands, `-` for none, the 个性化信息 column, a 合计 footer.
icbc_business = (
    "中国工商银行企业网上银行历史明细\n"
    "账号:1001234509000012345,户名:沪上小馆餐饮有限公司\n"
    "起止日期:2026-11-01至2026-11-30\n"
    "\n"
    "凭证号,本方账号,对方账号,交易时间,借/贷,金额,余额,对方行号,摘要,用途,对方单位名称,个性化信息\n"
    "0000000001,1001234509000012345,310066771018010012345,2026-11-02 10:15:32,贷,\"12,246.67\",\"52,246.67\",301290000007,他行来账,结算款,拉卡拉支付股份有限公司,POS结算 批次000031\n"
    "0000000002,1001234509000012345,310066771018010012345,2026-11-02 10:15:33,借,99.00,\"52,147.67\",301290000007,扣款,流量费,拉卡拉支付股份有限公司,-\n"
    "0000000003,1001234509000012345,6222021001000011111,2026-11-03 15:40:00,借,\"3,000.00\",\"49,147.67\",-,转账支出,货款,上海某某食品有限公司,-\n"
    "0000000004,1001234509000012345,-,2026-11-21 00:00:00,贷,12.34,\"49,160.01\",-,利息,结息,-,-\n"
    "合计,,,,,,,,,,,\n"
)
write("icbc-business", icbc_business, [
    [6, "2026-11-02", "10:15:32", "12246.67", "52246.67", "拉卡拉支付股份有限公司", "310066771018010012345", "他行来账", "结算款", "yes"],
    [7, "2026-11-02", "10:15:33", "-99.00", "52147.67", "拉卡拉支付股份有限公司", "310066771018010012345", "扣款", "流量费", "yes"],
    [8, "2026-11-03", "15:40:00", "-3000.00", "49147.67", "上海某某食品有限公司", "6222021001000011111", "转账支出", "货款", "no"],
    [9, "2026-11-21", "", "12.34", "49160.01", "", "", "利息", "结息", "no"],
], encoding="gbk", newline="\r\n")

# CMB business: GBK, CRLF, a four-line preamble, 32 columns, dates yyyyMMdd and times HH:mm:ss,
# separate 借方金额 / 贷方金额 (the other one empty), 帐号 spelt the bank's way.
CMB_BUSINESS_HEADER = ("交易日,交易时间,起息日,交易类型,借方金额,贷方金额,余额,摘要,流水号,流程实例号,业务名称,用途,业务参考号,业务摘要,其它摘要,"
                       "收(付)方分行名,收(付)方名称,收(付)方帐号,收(付)方开户行行号,收(付)方开户行名,收(付)方开户行地址,母(子)公司帐号分行名,"
                       "母(子)公司帐号,母(子)公司名称,信息标志,有否附件信息,冲帐标志,扩展摘要,交易分析码,票据号,商务支付订单号,内部编号")


def cmb_row(day, clock, kind, debit, credit, balance, serial, purpose, branch, name, account):
    return ",".join([day, clock, day, kind, debit, credit, balance, "", serial, "", "", purpose, "", "", "", branch, name, account,
                     "", "", "", "", "", "", "", "N", "", "", "", "", "", ""])


cmb_business = (
    "账号:755912345610801,账户名称:沪上小馆餐饮有限公司\n"
    "币种:人民币\n"
    "查询区间:20261101-20261130\n"
    "\n"
    + CMB_BUSINESS_HEADER + "\n"
    + cmb_row("20261102", "09:30:15", "汇入汇款", "", "\"5,432.10\"", "\"105,432.10\"", "G1234500001", "结算款", "上海分行", "上海盛付通电子支付服务有限公司", "31001234567890") + "\n"
    + cmb_row("20261102", "09:30:16", "汇出汇款", "99.00", "", "\"105,333.10\"", "G1234500002", "SIM卡服务费", "上海分行", "上海盛付通电子支付服务有限公司", "31001234567890") + "\n"
    + cmb_row("20261103", "14:02:09", "代发工资", "\"20,000.00\"", "", "\"85,333.10\"", "G1234500003", "工资", "", "", "") + "\n"
)
write("cmb-business", cmb_business, [
    [6, "2026-11-02", "09:30:15", "5432.10", "105432.10", "上海盛付通电子支付服务有限公司", "31001234567890", "汇入汇款", "结算款", "yes"],
    [7, "2026-11-02", "09:30:16", "-99.00", "105333.10", "上海盛付通电子支付服务有限公司", "31001234567890", "汇出汇款", "SIM卡服务费", "yes"],
    [8, "2026-11-03", "14:02:09", "-20000.00", "85333.10", "", "", "代发工资", "工资", "no"],
], encoding="gbk", newline="\r\n")

# CCB business: GBK, CRLF, a preamble, the long 借方发生额/元(支取) headers, 记账日期 as yyyyMMdd,
# a row in US dollars (skipped), quoted thousands.
ccb_business = (
    "中国建设银行单位账户明细\n"
    "账号:31050161393600001234,账户名称:沪上小馆餐饮有限公司\n"
    "起始日期:20261101,结束日期:20261130\n"
    "交易时间,借方发生额/元(支取),贷方发生额/元(收入),余额,币种,对方户名,对方账号,对方开户机构,记账日期,摘要,备注,账户明细编号-交易流水号,企业流水号,凭证种类,凭证号\n"
    "20261102 10:01:12,,\"8,765.43\",\"58,765.43\",人民币,银联商务股份有限公司,31001500000000001,中国建设银行上海分行,20261102,转账,结算款,0001-CCB2026110200001,,,\n"
    "20261102 16:45:00,\"1,200.00\",,\"57,565.43\",人民币,上海某某物业有限公司,31001500000000099,中国建设银行上海分行,20261102,转账,物业费,0002-CCB2026110200002,,,\n"
    "20261104 09:00:00,,500.00,500.00,美元,,,,20261104,结汇,,0003-CCB2026110400001,,,\n"
    "20261121 00:00:00,,6.78,\"57,572.21\",人民币,,,,20261121,结息,,0004-CCB2026112100001,,,\n"
)
write("ccb-business", ccb_business, [
    [5, "2026-11-02", "", "8765.43", "58765.43", "银联商务股份有限公司", "31001500000000001", "转账", "结算款", "yes"],
    [6, "2026-11-02", "", "-1200.00", "57565.43", "上海某某物业有限公司", "31001500000000099", "转账", "物业费", "no"],
    [8, "2026-11-21", "", "6.78", "57572.21", "", "", "结息", "", "no"],
], encoding="gbk", newline="\r\n")

# ABC business: GBK, CRLF, a preamble, 交易时间 holding date and time, 收入金额 / 支出金额 with
# 0.00 in the other one, `--` for none, a 合计 footer.
abc_business = (
    "中国农业银行账户明细\n"
    "账户名称:沪上小馆餐饮有限公司,账号:03350100040012345\n"
    "起止日期:20261101-20261130\n"
    "交易时间,收入金额,支出金额,账户余额,交易行名,对方省市,对方账号,对方户名,交易用途\n"
    "2026-11-02 09:30:15,5432.10,0.00,15432.10,农行上海分行营业部,上海,31001234500000001,通联支付网络服务股份有限公司,结算款\n"
    "2026-11-03 11:11:11,0.00,2345.89,13086.21,农行上海分行营业部,上海,03350100040099999,上海某某食品有限公司,货款\n"
    "2026-11-21 00:00:00,0.01,0.00,13086.22,--,--,--,--,结息\n"
    "合计,5432.11,2345.89,,,,,,\n"
)
write("abc-business", abc_business, [
    [5, "2026-11-02", "09:30:15", "5432.10", "15432.10", "通联支付网络服务股份有限公司", "31001234500000001", "农行上海分行营业部", "结算款", "yes"],
    [6, "2026-11-03", "11:11:11", "-2345.89", "13086.21", "上海某某食品有限公司", "03350100040099999", "农行上海分行营业部", "货款", "no"],
    [7, "2026-11-21", "", "0.01", "13086.22", "", "", "", "结息", "no"],
], encoding="gbk", newline="\r\n")

# BOC business: UTF-8 with a BOM, a title line, 21 columns, dates yyyyMMdd, a signed amount,
# runs of dashes for none; the acquirer's deduction names it only in the 交易附言 (the payer
# of a debit is the merchant itself).
BOC_BUSINESS_HEADER = ("交易流水号,交易日期,交易时间,交易货币,交易金额,起息日期,汇率,记录标识号,摘要,用途,交易附言,交易类型,业务类型,"
                       "付款人开户行号,付款人开户行名,付款人账号,付款人名称,收款人开户行号,收款人开户行名,收款人账号,收款人名称")
boc_business = (
    "\ufeff中国银行企业网上银行交易明细\n"
    + BOC_BUSINESS_HEADER + "\n"
    "B2026110200001,20261102,10:20:30,人民币,\"3,210.00\",20261102,----------,0001,来账,结算款,乐刷POS结算,转账,网银,313584000001,----------,4400123456789,深圳市乐刷科技有限公司,104290000001,中国银行上海分行,45001234567,沪上小馆餐饮有限公司\n"
    "B2026110200002,20261102,10:20:31,人民币,-99.00,20261102,----------,0002,往账,服务费,乐刷流量卡年费,转账,网银,104290000001,中国银行上海分行,45001234567,沪上小馆餐饮有限公司,313584000001,----------,4400123456789,深圳市乐刷科技有限公司\n"
    "B2026110300001,20261103,08:00:00,人民币,-450.00,20261103,----------,0003,往账,水费,----------,转账,网银,104290000001,中国银行上海分行,45001234567,沪上小馆餐饮有限公司,104290000009,----------,45009999999,上海市自来水公司\n"
)
write("boc-business", boc_business, [
    [3, "2026-11-02", "10:20:30", "3210.00", "", "深圳市乐刷科技有限公司", "4400123456789", "来账", "乐刷POS结算", "yes"],
    [4, "2026-11-02", "10:20:31", "-99.00", "", "沪上小馆餐饮有限公司", "45001234567", "往账", "乐刷流量卡年费", "yes"],
    [5, "2026-11-03", "08:00:00", "-450.00", "", "沪上小馆餐饮有限公司", "45001234567", "往账", "", "no"],
])

# A spreadsheet export (.xlsx) of the CMB business sample: the same rows on the sheet's same row
# numbers, money as number cells (12,246.67 typed as 12246.67), the rest as inline text; a
# minimal workbook written here (no styles, no shared strings), with fixed zip times.
def xlsx(folder, name, text):
    import zipfile
    from xml.sax.saxutils import escape
    rows = list(csv.reader(io.StringIO(text)))
    def col(k):
        letters = ""
        k += 1
        while k:
            k, r = divmod(k - 1, 26)
            letters = chr(65 + r) + letters
        return letters
    sheet = []
    for r, cells in enumerate(rows, start=1):
        if not any(cells):
            continue
        out = []
        for k, cell in enumerate(cells):
            if cell == "":
                continue
            ref = f"{col(k)}{r}"
            plain = cell.replace(",", "")
            if re.fullmatch(r"-?\d+\.\d\d", plain):
                out.append(f'<c r="{ref}"><v>{plain}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(cell)}</t></is></c>')
        sheet.append(f'<row r="{r}">{"".join(out)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="交易明细" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}"><sheetData>{"".join(sheet)}</sheetData></worksheet>',
    }
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with zipfile.ZipFile(os.path.join(HERE, folder, name), "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(zipfile.ZipInfo(part, date_time=(2026, 11, 30, 0, 0, 0)), body.encode("utf-8"))


xlsx("xlsx", "cmb-business.xlsx", cmb_business)
print("ok")
