package ally

import (
	"time"

	"github.com/allydesk/ally/mailscan"
)

// Export is an analysed email's indicators in a format other tools read.
type Export struct {
	Data        []byte
	ContentType string
}

// ExportIndicators writes the indicators of report r in format: "stix"
// (STIX 2.1, the default for ""), "misp" or "csv"; created stamps the STIX
// and MISP objects. Errors: EINVALID naming the format.
func ExportIndicators(r *mailscan.Report, format string, created time.Time) (*Export, error) {
	reports := []*mailscan.Report{r}
	out := &Export{ContentType: "application/json"}
	var err error
	switch format {
	case "stix", "":
		out.Data, err = mailscan.ExportSTIX(reports, created)
	case "misp":
		out.Data, err = mailscan.ExportMISP(reports, created)
	case "csv":
		out.ContentType = "text/csv; charset=utf-8"
		out.Data, err = mailscan.ExportCSV(reports)
	default:
		return nil, Errorf(EINVALID, "format: must be stix, misp or csv, not %q.", format)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
