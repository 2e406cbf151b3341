package errs

import "fmt"

// The fund ledger's reasons (package fund): its campaigns, entries and
// bank statements. Their texts are in fundTexts, beside them, so the
// module adds a file rather than editing the shared catalogue.
const (
	Required               Reason = "required"                 // Field
	FundBadYear            Reason = "fund_bad_year"            // Text
	FundBadKind            Reason = "fund_bad_kind"            // Text
	FundNoAccount          Reason = "fund_no_account"          // a relief campaign without its account
	FundReceiveTooLong     Reason = "fund_receive_too_long"    // Number (days), Max
	FundDistributeTooLate  Reason = "fund_distribute_late"     // Number (days after the close), Max
	FundBadAmount          Reason = "fund_bad_amount"          // Text
	FundAmountTooLarge     Reason = "fund_amount_too_large"    // Text, Max
	FundOutsideReceiving   Reason = "fund_outside_receiving"   // Date, From, To
	FundBadChannel         Reason = "fund_bad_channel"         // Text
	FundBadDonorKind       Reason = "fund_bad_donor_kind"      // Text
	FundBadPurpose         Reason = "fund_bad_purpose"         // Text
	FundOverBalance        Reason = "fund_over_balance"        // Number (asked), Max (the balance)
	FundNoColumn           Reason = "fund_no_column"           // Text: the column a preset needs
	FundNoAmount           Reason = "fund_no_amount"           // a statement row with neither credit nor debit
	FundBothAmounts        Reason = "fund_both_amounts"        // a statement row with both credit and debit
	FundTooManyRows        Reason = "fund_too_many_rows"       // Max
	FundBadStatement       Reason = "fund_bad_statement"       // Text: why the file is not a statement
	FundTextTooLong        Reason = "fund_text_too_long"       // Number, Max
	FundNulInText          Reason = "fund_nul_in_text"         // a NUL byte, which PostgreSQL cannot store and SQLite's LIKE stops at
	FundAreaNotUnder       Reason = "fund_area_not_under"      // UnitName (the commune), Number (the year)
	FundHouseholdElsewhere Reason = "fund_household_elsewhere" // UnitName (the paying unit)
	FundAidOutsideYear     Reason = "fund_aid_outside_year"    // Date (the payment's), Number (the register's year)
)

var fundTexts = map[Reason]func(d Detail, p printer) string{
	Required:    func(d Detail, p printer) string { return "chưa nhập" },
	FundBadYear: func(d Detail, p printer) string { return fmt.Sprintf("năm %q không hợp lệ", d.Args.Text) },
	FundBadKind: func(d Detail, p printer) string {
		return fmt.Sprintf("loại chiến dịch %q không có", d.Args.Text)
	},
	FundNoAccount: func(d Detail, p printer) string {
		return "cuộc vận động cứu trợ phải có một tài khoản riêng (NĐ 93/2021)"
	},
	FundReceiveTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("thời gian tiếp nhận %s ngày, quá %s ngày theo NĐ 93/2021", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	FundDistributeTooLate: func(d Detail, p printer) string {
		return fmt.Sprintf("phân phối kết thúc %s ngày sau khi hết tiếp nhận, quá %s ngày theo NĐ 93/2021", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	FundBadAmount: func(d Detail, p printer) string {
		return fmt.Sprintf("số tiền %q không hợp lệ: cần số đồng nguyên dương", d.Args.Text)
	},
	FundAmountTooLarge: func(d Detail, p printer) string {
		return fmt.Sprintf("số tiền %q quá lớn (tối đa %s đồng)", d.Args.Text, p.num(d.Args.Max))
	},
	FundOutsideReceiving: func(d Detail, p printer) string {
		return fmt.Sprintf("ngày %s ngoài thời gian tiếp nhận %s–%s", date(d.Args.Date), date(d.Args.From), date(d.Args.To))
	},
	FundBadChannel: func(d Detail, p printer) string {
		return fmt.Sprintf("hình thức %q không có: tiền mặt hoặc chuyển khoản", d.Args.Text)
	},
	FundBadDonorKind: func(d Detail, p printer) string {
		return fmt.Sprintf("loại người ủng hộ %q không có", d.Args.Text)
	},
	FundBadPurpose: func(d Detail, p printer) string { return fmt.Sprintf("mục đích %q không có", d.Args.Text) },
	FundOverBalance: func(d Detail, p printer) string {
		return fmt.Sprintf("chi %s đồng vượt số dư %s đồng", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	FundNoColumn: func(d Detail, p printer) string {
		return fmt.Sprintf("không thấy cột %q ở dòng tiêu đề", d.Args.Text)
	},
	FundNoAmount:    func(d Detail, p printer) string { return "dòng không có số ghi có hay ghi nợ" },
	FundBothAmounts: func(d Detail, p printer) string { return "dòng có cả số ghi có và ghi nợ" },
	FundTooManyRows: func(d Detail, p printer) string {
		return fmt.Sprintf("sao kê quá %s dòng; chia tệp để nhập", p.num(d.Args.Max))
	},
	FundBadStatement: func(d Detail, p printer) string { return "không đọc được sao kê: " + d.Args.Text },
	FundAreaNotUnder: func(d Detail, p printer) string {
		return fmt.Sprintf("khu dân cư đã chọn không thuộc %s trong năm %d; chọn một khu dân cư của xã", d.Args.UnitName, int(d.Args.Number))
	},
	FundAidOutsideYear: func(d Detail, p printer) string {
		year := int(d.Args.Number)
		return fmt.Sprintf("hộ này thuộc danh sách năm %d; khoản chi cho hộ phải ghi ngày trong năm %d (quà Tết được ghi từ 01/12/%d), không phải %s",
			year, year, year-1, date(d.Args.Date))
	},
	FundHouseholdElsewhere: func(d Detail, p printer) string {
		return fmt.Sprintf("hộ này không thuộc danh sách hộ của %s; khoản chi cho hộ do xã lập danh sách đề nghị", d.Args.UnitName)
	},
	FundTextTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("dài %s ký tự, tối đa %s", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	FundNulInText: func(d Detail, p printer) string {
		return "có ký tự NUL (mã 0), không phải chữ; tệp có thể bị hỏng"
	},
}
