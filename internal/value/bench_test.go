package value

import (
	"bytes"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// exchangeFile builds a dataValueSet of about size bytes, as a province's
// yearly import writes one: one value per line, unit by unit, twenty
// elements for each (the seed program has about sixty).
func exchangeFile(format string, size int) []byte {
	var b bytes.Buffer
	var elements []string
	for i := range 20 {
		elements = append(elements, fmt.Sprintf("CT%d_CHI_SO_%02d", i%5+1, i))
	}
	if format == "json" {
		b.WriteString("{\n  \"dataValues\": [\n")
	} else {
		b.WriteString("dataelement,period,orgunit,value\n")
	}
	for i := 0; b.Len() < size; i++ {
		e, u, v := elements[i%len(elements)], fmt.Sprintf("%05d-%03d", i/len(elements)/500, i/len(elements)%500), i%100000
		if format == "json" {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, `    {"dataElement": %q, "period": "2024", "orgUnit": %q, "value": "%d", "comment": "nhập từ tệp"}`, e, u, v)
		} else {
			fmt.Fprintf(&b, "%s,2024,%s,%d\n", e, u, v)
		}
	}
	if format == "json" {
		b.WriteString("\n  ]\n}\n")
	}
	return b.Bytes()
}

// BenchmarkParseJSON and BenchmarkParseCSV read files of 1, 8 and 64 MB:
// every parser is linear in its input, so the time per MB stays the same
// from one size to the next. Besides ns/op and MB/s they report ms/MB
// (wall) and cpu-ms/MB (the process's user and system time, garbage
// collection included, which a shared machine's load disturbs less).
func BenchmarkParseJSON(b *testing.B) { benchmarkParse(b, "json") }

func BenchmarkParseCSV(b *testing.B) { benchmarkParse(b, "csv") }

func benchmarkParse(b *testing.B, format string) {
	for _, mb := range []int{1, 8, 64} {
		data := exchangeFile(format, mb<<20)
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			start, cpu := time.Now(), cpuTime()
			for b.Loop() {
				rows, err := Parse(bytes.NewReader(data))
				if err != nil || len(rows) == 0 {
					b.Fatal(err)
				}
			}
			perMB := func(d time.Duration) float64 {
				return float64(d.Microseconds()) / 1000 / float64(b.N) / (float64(len(data)) / (1 << 20))
			}
			b.ReportMetric(perMB(time.Since(start)), "ms/MB")
			b.ReportMetric(perMB(cpuTime()-cpu), "cpu-ms/MB")
		})
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
