package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate/figures"
)

// figures mark stores the analyst's corrections in the project, and
// figures, --conflicts and --json show the table they shape.
func TestFiguresMark(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	a := write(t, dir, "harbour.txt", []byte("In 2023, the harbour police detained more than 3,100 smugglers at the northern pier.\n"))
	b := write(t, dir, "pier.txt", []byte("Officials said about 1,800 smugglers were detained at the northern pier in 2023.\n"))
	ids := importFiles(t, db, a, b)
	conflicts := func() []figures.Group {
		var gs []figures.Group
		decode(t, &gs, "figures", "--db", db, "--conflicts")
		return gs
	}
	gs := conflicts()
	if len(gs) != 1 || len(gs[0].Figures) != 2 {
		t.Fatalf("before any mark: %+v", gs)
	}
	var big, small string
	for _, f := range gs[0].Figures {
		if f.SourceID == ids["harbour.txt"] {
			big = f.ID
		} else {
			small = f.ID
		}
	}

	mustGloss(t, "figures", "mark", "--db", db, "--figure", big, "--split")
	if gs := conflicts(); len(gs) != 0 {
		t.Fatalf("after --split the conflict is still there: %+v", gs)
	}
	if out := mustGloss(t, "figures", "--db", db, "--conflicts"); out != "no conflicting figures" {
		t.Fatalf("text output after --split: %q", out)
	}

	mustGloss(t, "figures", "mark", "--db", db, "--figure", big, "--figure", small, "--group", "pier smugglers 2023")
	gs = conflicts()
	if len(gs) != 1 || !gs[0].Manual || len(gs[0].Figures) != 2 {
		t.Fatalf("after --group: %+v", gs)
	}
	if out := mustGloss(t, "figures", "--db", db); !strings.Contains(out, "CONFLICT  (grouped by hand)") {
		t.Fatalf("text output does not say the group was made by hand:\n%s", out)
	}

	mustGloss(t, "figures", "mark", "--db", db, "--figure", small, "--prefer")
	gs = conflicts()
	if p := gs[0].Preferred; p < 0 || gs[0].Figures[p].ID != small {
		t.Fatalf("after --prefer: preferred %d in %+v", p, gs[0].Figures)
	}

	mustGloss(t, "figures", "mark", "--db", db, "--figure", small, "--ignore")
	var all []figures.Group
	decode(t, &all, "figures", "--db", db)
	for _, g := range all {
		for _, f := range g.Figures {
			if f.ID == small {
				t.Fatalf("a number marked --ignore is still in the table")
			}
		}
	}

	mustGloss(t, "figures", "mark", "--db", db, "--figure", big, "--figure", small, "--clear")
	if gs := conflicts(); len(gs) != 1 || gs[0].Manual || gs[0].Preferred != -1 {
		t.Fatalf("after --clear: %+v", gs)
	}
	for _, p := range snapshot(t, db).Sources {
		if len(p.FigureMarks) != 0 {
			t.Fatalf("after --clear %s keeps %+v", p.ID, p.FigureMarks)
		}
	}

	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--figure", big}, "exactly one of", 2},
		{[]string{"--figure", big, "--split", "--prefer"}, "exactly one of", 2},
		{[]string{"--split"}, "--figure ID is required", 2},
		{[]string{"--figure", "nonsense", "--split"}, `"nonsense" is not a figure ID`, 2},
		{[]string{"--figure", "zz:0-3", "--split"}, `no source with id "zz"`, 1},
		{[]string{"--figure", ids["pier.txt"] + ":0-3", "--split"}, "has no figure", 1},
		{[]string{"--figure", big, "--figure", small, "--prefer"}, "one --figure", 2},
	} {
		_, errOut, code := gloss(t, append([]string{"figures", "mark", "--db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("figures mark %v: exit %d, %q; want exit %d saying %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}
