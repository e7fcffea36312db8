package assets

import _ "embed" // for go:embed

// IconPNG is the 1024×1024 Gloss app icon, rendered from icon/gloss.svg by
// packaging/icons.sh. The app sets it as the window icon so a binary run
// outside an installer (go run, make run) still shows the right icon.
//
//go:embed icon/gloss.png
var IconPNG []byte
