package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// FontEnv names an environment variable that may point at the PDF font
// when Options.FontPath is empty (handy for the CLI and CI).
const FontEnv = "GLOSS_PDF_FONT"

// FontPaths are the places searched, in order, for a TrueType font with
// Chinese glyphs. The PDF writer embeds TrueType (glyf) outlines only, so the CFF
// fonts most systems ship for CJK (Noto CJK .otf/.ttc) will not do.
var FontPaths = []string{
	// Debian/Ubuntu: fonts-droid-fallback (Apache 2.0).
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
	// Fedora: google-droid-sans-fonts.
	"/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
	// macOS.
	"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	"/Library/Fonts/Arial Unicode.ttf",
	// Windows: SimHei and DengXian are plain .ttf files.
	`C:\Windows\Fonts\simhei.ttf`,
	`C:\Windows\Fonts\Deng.ttf`,
}

// LatinFontPaths are searched for the font used for Latin script, digits
// and punctuation; the CJK fonts above lack Latin glyphs or draw them poorly.
var LatinFontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", // Debian/Ubuntu: fonts-dejavu-core
	"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
	"/usr/share/fonts/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/TTF/DejaVuSans.ttf",
	"/System/Library/Fonts/Supplemental/Arial.ttf",
	"/Library/Fonts/Arial.ttf",
	`C:\Windows\Fonts\arial.ttf`,
}

// fontInstallHint says what to do when no font is found.
const fontInstallHint = "install the Debian package fonts-droid-fallback (apt-get install fonts-droid-fallback), " +
	"or set the PDF font (Options.FontPath or " + FontEnv + ") to a TrueType .ttf file with Chinese glyphs; " +
	"CFF fonts such as Noto CJK (.otf, .ttc) cannot be embedded"

// loadFont reads the PDF font: path if given, else $GLOSS_PDF_FONT, else
// the first of FontPaths that exists.
func loadFont(path string) ([]byte, string, error) {
	if path == "" {
		path = os.Getenv(FontEnv)
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, path, fmt.Errorf("pdf font %s: %w", path, err)
		}
		return b, path, checkTrueType(b, path)
	}
	for _, p := range FontPaths {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, p, fmt.Errorf("pdf font %s: %w", p, err)
		}
		return b, p, checkTrueType(b, p)
	}
	return nil, "", fmt.Errorf("pdf export: no TrueType font with Chinese glyphs found (looked in %s); %s",
		strings.Join(FontPaths, ", "), fontInstallHint)
}

// checkTrueType rejects what the PDF writer cannot embed, before it fails obscurely.
func checkTrueType(b []byte, path string) error {
	switch {
	case len(b) < 12:
		return fmt.Errorf("pdf font %s: not a font file (too short)", path)
	case bytes.HasPrefix(b, []byte("OTTO")):
		return fmt.Errorf("pdf font %s: is an OpenType font with CFF outlines; %s", path, fontInstallHint)
	case bytes.HasPrefix(b, []byte("ttcf")):
		return fmt.Errorf("pdf font %s: is a font collection (.ttc); %s", path, fontInstallHint)
	case bytes.HasPrefix(b, []byte{0, 1, 0, 0}), bytes.HasPrefix(b, []byte("true")):
		if !bytes.Contains(b[:min(len(b), 4096)], []byte("glyf")) {
			return fmt.Errorf("pdf font %s: has no TrueType outlines (glyf table); %s", path, fontInstallHint)
		}
		return nil
	}
	return fmt.Errorf("pdf font %s: not a TrueType font; %s", path, fontInstallHint)
}

// fontID names one of the fonts a report draws with; a small integer
// keeps glyphs small.
type fontID uint8

const (
	famCJK fontID = iota
	famLatin
	famLatinBold
	famNone fontID = 255
)

// fontSet knows which font has which glyph.
type fontSet struct {
	fonts [3]*ttFont // by fontID; Latin ones may be nil
	buf   sfnt.Buffer
	cache map[pickKey]pickVal
}

type pickKey struct {
	r    rune
	bold bool
}

type pickVal struct {
	fam fontID
	r   rune
	gid uint16
}

// glyphIndex is r's glyph in font fam, 0 when it has none.
func (f *fontSet) glyphIndex(fam fontID, r rune) uint16 {
	font := f.fonts[fam]
	if font == nil {
		return 0
	}
	i, err := font.sf.GlyphIndex(&f.buf, r)
	if err != nil {
		return 0
	}
	return uint16(i)
}

// pick chooses the font for r: Latin (bold if asked) when it has the
// glyph, else the CJK font; a character neither has prints as "?". Tabs
// are drawn as spaces.
func (f *fontSet) pick(r rune, bold bool) (fontID, rune, uint16) {
	k := pickKey{r, bold}
	if v, ok := f.cache[k]; ok {
		return v.fam, v.r, v.gid
	}
	v := pickVal{r: r}
	if bold {
		v.gid = f.glyphIndex(famLatinBold, r)
		v.fam = famLatinBold
	}
	for _, fam := range []fontID{famLatin, famCJK} {
		if v.gid == 0 {
			v.gid, v.fam = f.glyphIndex(fam, r), fam
		}
	}
	switch {
	case v.gid != 0:
	case r == '\n' || r == '\t':
		v.fam, _, v.gid = f.pick(' ', false)
	case r == ' ' || r == '?':
		// Neither font has it: the CJK font's .notdef (gid 0) stands in.
		v.fam = famCJK
	default:
		v.r = '?'
		v.fam, _, v.gid = f.pick('?', false)
	}
	f.cache[k] = v
	return v.fam, v.r, v.gid
}

// width is g's advance at size 1.
func (f *fontSet) width(g glyph) float64 {
	return float64(f.fonts[g.fam].advance(g.gid)) / 1000
}

// findFont returns the first of paths that exists, or "".
func findFont(paths []string) string {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// loadFonts reads the CJK font (required) and the Latin fonts (found
// beside it when present).
func loadFonts(cjkPath, latinPath string) (*fontSet, error) {
	fs := &fontSet{cache: map[pickKey]pickVal{}}
	data, path, err := loadFont(cjkPath)
	if err != nil {
		return nil, err
	}
	if fs.fonts[famCJK], err = parseTTF(data, path); err != nil {
		return nil, err
	}
	if latinPath == "" {
		latinPath = findFont(LatinFontPaths)
	}
	if latinPath != "" {
		b, err := os.ReadFile(latinPath)
		if err == nil {
			err = checkTrueType(b, latinPath)
		}
		if err == nil {
			fs.fonts[famLatin], err = parseTTF(b, latinPath)
		}
		if err != nil {
			return nil, fmt.Errorf("pdf Latin font %s: %w", latinPath, err)
		}
		// The bold face sits beside the regular one under a known name.
		for _, bp := range []string{strings.Replace(latinPath, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 1), strings.Replace(latinPath, "Arial.ttf", "Arial Bold.ttf", 1), strings.Replace(latinPath, "arial.ttf", "arialbd.ttf", 1)} {
			if bp == latinPath {
				continue
			}
			if b, err := os.ReadFile(bp); err == nil && checkTrueType(b, bp) == nil {
				if f, err := parseTTF(b, bp); err == nil {
					fs.fonts[famLatinBold] = f
				}
				break
			}
		}
	}
	if fs.glyphIndex(famLatin, 'A') == 0 && fs.glyphIndex(famCJK, 'A') == 0 {
		return nil, fmt.Errorf("pdf export: the font %s has no Latin letters and no Latin font was found (looked in %s); "+
			"install the Debian package fonts-dejavu-core or set Options.LatinFontPath", path, strings.Join(LatinFontPaths, ", "))
	}
	return fs, nil
}
