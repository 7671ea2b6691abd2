package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// AnswerColumns are the columns of the anonymised answers, in the CSV
// (these names form its header) and in the XLSX's answers sheet (headed in
// the report's language). docs/formats.md describes them.
var AnswerColumns = []string{"participant", "group", "group_name", "trend", "trend_title", "question", "value", "dont_know"}

// AnswersCSV writes the anonymised answers as CSV (comma-separated,
// UTF-8 starting with a byte order mark so that Excel shows å, ä and ö,
// as Waymark's other CSV exports) with a header of
// AnswerColumns: one row per answer, ordered by participant and then the
// workshop's trends and questions. value is the number on the question's
// scale, empty for "don't know"; dont_know is 1 for "don't know" and 0
// otherwise. Text cells are neutralised against formula injection.
func AnswersCSV(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return fmt.Errorf("report: answers csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(AnswerColumns); err != nil {
		return fmt.Errorf("report: answers csv: %w", err)
	}
	row := make([]string, len(AnswerColumns))
	for _, a := range r.Answers {
		row[0], row[1], row[2] = Neutralise(a.Participant), Neutralise(a.Group), Neutralise(oneLine(a.GroupName))
		row[3], row[4], row[5] = Neutralise(a.Trend), Neutralise(oneLine(a.TrendTitle)), Neutralise(a.Question)
		if a.DontKnow {
			row[6], row[7] = "", "1"
		} else {
			row[6], row[7] = strconv.Itoa(a.Value), "0"
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: answers csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: answers csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: answers csv: %w", err)
	}
	return nil
}
