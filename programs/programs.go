// Package programs holds the program files the project ships: the seed program the demo loads.
package programs

import "embed"

// Files holds every program file in this folder.
//
//go:embed *.yaml
var Files embed.FS

// SeedFile is the Bắc Giang 2019–2024 action program, the seed the system was designed from.
const SeedFile = "bac-giang-2019-2024.yaml"
