package casework

import (
	"net/url"
	"strings"
	"testing"
)

// The intake parser never panics, and whatever it accepts is within the
// limits it promises.
func FuzzParseIntake(f *testing.F) {
	f.Add("kind=khieu_nai&content=Khi%E1%BA%BFu+n%E1%BA%A1i&name_1=Nguy%E1%BB%85n+V%C4%83n+A&id_1=024080000123&received=01/10/2024")
	f.Add("kind=to_cao&content=x&anonymous_1=on&name_3=B")
	f.Add("kind=kien_nghi&content=%FF%FE&name_1=A&members_1=-3")
	f.Add("kind=phan_anh&content=a&received=31/02/2024&name_1=" + strings.Repeat("a", 300))
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		in, err := ParseIntake(v)
		if err != nil {
			return
		}
		if _, ok := Lookup(in.Kind); !ok {
			t.Fatalf("accepted kind %q", in.Kind)
		}
		if in.Content == "" || len([]rune(in.Content)) > MaxContent || len(in.Petitioners) > MaxPetitioners {
			t.Fatalf("accepted content of %d runes, %d petitioners", len([]rune(in.Content)), len(in.Petitioners))
		}
		for _, p := range in.Petitioners {
			if !p.Anonymous && p.Name == "" {
				t.Fatalf("accepted a petitioner with no name: %+v", p)
			}
		}
	})
}
