package assets

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The defaults must equal FyneApp.toml so an unstamped build (go run,
// go test) reports the same version as the installers.
func TestDefaultsMatchFyneAppToml(t *testing.T) {
	path := filepath.Join("..", "FyneApp.toml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`(?m)^\s*` + name + `\s*=\s*"?([^"\s]+)"?\s*$`).FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s: no %s in [Details]", path, name)
		}
		return string(m[1])
	}
	if got := field("Version"); got != Version {
		t.Errorf("%s Version = %q, assets.Version default = %q", path, got, Version)
	}
	if got := field("Build"); got != Build {
		t.Errorf("%s Build = %q, assets.Build default = %q", path, got, Build)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Version) {
		t.Errorf("Version %q is not MAJOR.MINOR.PATCH (Windows and macOS need numeric versions)", Version)
	}
}

func TestIconPNG(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(IconPNG))
	if err != nil {
		t.Fatalf("icon/gloss-256.png: %v", err)
	}
	if cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("the window icon is %dx%d, want 256x256", cfg.Width, cfg.Height)
	}
	// The packagers' master (fyne package derives the macOS .icns from it).
	f, err := os.Open("icon/gloss.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, err = png.DecodeConfig(f); err != nil {
		t.Fatalf("icon/gloss.png: %v", err)
	}
	if cfg.Width != 1024 || cfg.Height != 1024 {
		t.Errorf("icon/gloss.png is %dx%d, want 1024x1024 (macOS .icns needs it)", cfg.Width, cfg.Height)
	}
}
