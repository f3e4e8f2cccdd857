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
                        rrn=r[19] if qr else r[9], terminal=r[1], merchant_no=r[0]))
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
