package assets

import _ "embed" // for go:embed

// IconPNG is the 256×256 Gloss window icon, rendered from icon/gloss.svg by
// packaging/icons.sh. The app sets it as the window icon so a binary run
// outside an installer (go run, make run) still shows the right icon.
// Window managers show it at 16–64 px (256 covers HiDPI docks); the
// 1024 px master that packagers use (icon/gloss.png) cost 60 ms on the UI
// thread at every launch, decoded and copied into the X server.
//
//go:embed icon/gloss-256.png
var IconPNG []byte
