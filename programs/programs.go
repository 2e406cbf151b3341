// Package programs holds the program files the project ships: the seed
// program, and the example program of the 2025–2030 term the demo loads
// for the new Bắc Ninh.
package programs

import "embed"

// Files holds every program file in this folder.
//
//go:embed *.yaml
var Files embed.FS

// SeedFile is the Bắc Giang 2019–2024 action program, the seed the system was designed from.
const SeedFile = "bac-giang-2019-2024.yaml"

// ExampleFile is an example program for the new Bắc Ninh's 2025–2030 term,
// built on the seed's targets adapted to two levels, and marked as an
// example: no text of the real one is at hand.
const ExampleFile = "bac-ninh-2025-2030-vidu.yaml"
