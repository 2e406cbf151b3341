// Command derivedata derives the small unit lists the project carries from
// the official national lists in ../shared/data (see that folder's README).
// Names and codes are facts; we ship only the subsets we need, not the
// compiled files themselves.
//
//	go run ./tools/derivedata -shared ../shared/data
//
// It writes:
//   - internal/demo/data/bac-giang-2025-03.json: Bắc Giang (code 24) before
//     the 2025 reform, 10 districts and 195 communes, in the official list's
//     shape, for the demo;
//   - internal/unit/testdata/bg-bn-2025-03.json: Bắc Giang and Bắc Ninh (27)
//     before the reform, and internal/unit/testdata/bac-ninh-2025-07-merges.json:
//     the new Bắc Ninh (24) after it, for the code-reuse tests;
//   - internal/demo/data/bac-ninh-27-2025-03.json: the old Bắc Ninh (27)
//     before the reform, 8 districts and 121 communes, and
//     internal/demo/data/bac-ninh-2025-07-merges.json: the new Bắc Ninh (24)
//     from 1/7/2025, its 99 communes and the old units each was made from,
//     so the demo holds both sides of the reform;
//   - internal/synth/data/vn-2025-07.csv: the 34 provinces and 3,321 communes
//     after the reform, as units CSV, for the national benchmark data set;
//   - internal/synth/data/vn-2025-03.csv and vn-2025-07-merges.json: the 63
//     provinces, 696 districts and 10,047 communes before the reform, and the
//     national merge mapping (compact: codes, names and full/partial only),
//     for the benchmark of figures read across the reform.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

type official struct {
	DataDate string            `json:"data_date"`
	Data     []json.RawMessage `json:"data"`
}

type merges struct {
	Data []struct {
		ID      string            `json:"level1_id"`
		Name    string            `json:"name"`
		Merges  []json.RawMessage `json:"merges"`
		Level2s []struct {
			ID     string            `json:"level2_id"`
			Name   string            `json:"name"`
			Merges []json.RawMessage `json:"merges"`
		} `json:"level2s"`
	} `json:"data"`
}

func main() {
	shared := flag.String("shared", "../shared/data", "folder with dvhcvn-2025-03.json and dvhcvn-2025-07-merges.json")
	out := flag.String("out", ".", "the repository root")
	flag.Parse()
	if err := run(*shared, *out); err != nil {
		fmt.Fprintln(os.Stderr, "derivedata:", err)
		os.Exit(1)
	}
}

func run(shared, out string) error {
	var before official
	if err := readJSON(filepath.Join(shared, "dvhcvn-2025-03.json"), &before); err != nil {
		return err
	}
	pick := func(ids ...string) (official, error) {
		sub := official{DataDate: before.DataDate}
		for _, raw := range before.Data {
			var head struct {
				ID string `json:"level1_id"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return sub, err
			}
			for _, id := range ids {
				if head.ID == id {
					sub.Data = append(sub.Data, raw)
				}
			}
		}
		if len(sub.Data) != len(ids) {
			return sub, fmt.Errorf("found %d of provinces %v", len(sub.Data), ids)
		}
		return sub, nil
	}
	bg, err := pick("24")
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "internal/demo/data/bac-giang-2025-03.json"), bg); err != nil {
		return err
	}
	bn, err := pick("27")
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "internal/demo/data/bac-ninh-27-2025-03.json"), bn); err != nil {
		return err
	}
	bgbn, err := pick("24", "27")
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "internal/unit/testdata/bg-bn-2025-03.json"), bgbn); err != nil {
		return err
	}

	var after merges
	if err := readJSON(filepath.Join(shared, "dvhcvn-2025-07-merges.json"), &after); err != nil {
		return err
	}
	var newBN merges
	for _, p := range after.Data {
		if p.ID == "24" {
			newBN.Data = append(newBN.Data, p)
		}
	}
	for _, path := range []string{"internal/unit/testdata/bac-ninh-2025-07-merges.json", "internal/demo/data/bac-ninh-2025-07-merges.json"} {
		if err := writeJSON(filepath.Join(out, path), newBN); err != nil {
			return err
		}
	}
	// The national mapping without indentation: a third of the size, and
	// the unit reader takes it as it takes the original.
	b, err := json.Marshal(after)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "internal/synth/data/vn-2025-07-merges.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := writeOldCSV(filepath.Join(out, "internal/synth/data/vn-2025-03.csv"), before); err != nil {
		return err
	}

	f, err := os.Create(filepath.Join(out, "internal/synth/data/vn-2025-07.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"code", "name", "kind", "parent_code", "official_type"})
	for _, p := range after.Data {
		typ := "Tỉnh"
		if strings.HasPrefix(p.Name, "Thành phố") {
			typ = "Thành phố Trung ương"
		}
		w.Write([]string{p.ID, p.Name, "province", "", typ})
		for _, c := range p.Level2s {
			typ := ""
			for _, t := range []string{"Phường", "Xã", "Đặc khu"} {
				if strings.HasPrefix(c.Name, t+" ") {
					typ = t
				}
			}
			w.Write([]string{c.ID, c.Name, "commune", p.ID, typ})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

// writeOldCSV writes the list before the reform as units CSV: provinces,
// their districts, the districts' communes, parents first.
func writeOldCSV(path string, list official) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"code", "name", "kind", "parent_code", "official_type"})
	for _, raw := range list.Data {
		var p struct {
			ID      string `json:"level1_id"`
			Name    string `json:"name"`
			Type    string `json:"type"`
			Level2s []struct {
				ID      string `json:"level2_id"`
				Name    string `json:"name"`
				Type    string `json:"type"`
				Level3s []struct {
					ID   string `json:"level3_id"`
					Name string `json:"name"`
					Type string `json:"type"`
				} `json:"level3s"`
			} `json:"level2s"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return err
		}
		w.Write([]string{p.ID, p.Name, "province", "", p.Type})
		for _, d := range p.Level2s {
			w.Write([]string{d.ID, d.Name, "district", p.ID, d.Type})
			for _, c := range d.Level3s {
				w.Write([]string{c.ID, c.Name, "commune", d.ID, c.Type})
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
