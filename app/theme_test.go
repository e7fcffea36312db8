package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestThemesHaveNoModalBlur(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	for _, v := range []string{"light", "dark", "system"} {
		ws.applyTheme(v)
		th := a.Settings().Theme()
		if r := th.Size(theme.SizeNameModalBlurRadius); r != 0 {
			t.Errorf("%s theme: modal blur radius %v, want 0", v, r)
		}
		if th.Size(theme.SizeNamePadding) == 0 {
			t.Errorf("%s theme lost its other sizes", v)
		}
	}
	ws.applyTheme("dark")
	if got, want := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight), theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark); got != want {
		t.Errorf("dark theme background %v, want the dark variant's %v", got, want)
	}
}
