"""Writes the bank statement test files under core/tests/banks/ (python3 make_samples.py).

Each folder has `sample.csv` (written here from the bank's published layout, as the public
importers cited in core/data/banks/<profile>.toml read it, with its quirks: encoding, line
ends, preambles, padding, footers) and `expected.csv` (the rows a correct reader gives, written
out by hand below, not derived from the sample). Nothing is copied from another project: the
names, amounts and accounts are made up.

expected.csv columns: line (true 1-based line), date, time, amount (signed yuan: + in, - out),
balance, counterparty, counterparty_account, summary, memo, acquirer (yes when the default
acquirer texts mark the row as the acquirer's)."""
import csv, io, os

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
print("ok")
