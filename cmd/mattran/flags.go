package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// flags is one command's options and its help. Go's flag package does the
// parsing; the help and the error messages are written here, because the
// package's own are in English and the command's users read Vietnamese.
type flags struct {
	fs       *flag.FlagSet
	cmd      string // "values import"
	synopsis string // what follows the command on the "Cách dùng" line
	help     string
	opts     []option // in the order the help lists them
	stdout   io.Writer
}

// option is one option as the help shows it.
type option struct {
	name  string
	arg   string // the value's placeholder (MÃ, TỆP…); "" for a switch
	usage string
	def   string // the default as shown; "" shows none
}

// newFlags makes the flag set of "mattran cmd"; --help prints the help to
// stdout.
func newFlags(cmd, synopsis, help string, stdout io.Writer) *flags {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	// Silence the package: parse reports errors in one Vietnamese line.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flags{fs: fs, cmd: cmd, synopsis: synopsis, help: help, stdout: stdout}
}

// String adds an option taking a value; arg names the value in the help.
func (f *flags) String(name, arg, def, usage string) *string {
	f.opts = append(f.opts, option{name: name, arg: arg, usage: usage, def: def})
	return f.fs.String(name, def, usage)
}

// Int adds an option taking a whole number.
func (f *flags) Int(name, arg string, def int, usage string) *int {
	f.opts = append(f.opts, option{name: name, arg: arg, usage: usage, def: fmt.Sprint(def)})
	return f.fs.Int(name, def, usage)
}

// Bool adds a switch, off by default.
func (f *flags) Bool(name, usage string) *bool {
	f.opts = append(f.opts, option{name: name, usage: usage})
	return f.fs.Bool(name, false, usage)
}

// Var adds an option with its own value type (repeatable, or one of a list).
func (f *flags) Var(v flag.Value, name, arg, usage string) {
	f.opts = append(f.opts, option{name: name, arg: arg, usage: usage, def: v.String()})
	f.fs.Var(v, name, usage)
}

// DB adds --db, defaulting to $MATTRAN_DB or sqlite:mattran.db. The help
// shows the default without its password.
func (f *flags) DB() *string {
	def := os.Getenv("MATTRAN_DB")
	if def == "" {
		def = "sqlite:mattran.db"
	}
	f.opts = append(f.opts, option{name: "db", arg: "CHUỖI",
		usage: "cơ sở dữ liệu: sqlite:ĐƯỜNG_DẪN hoặc postgres://người_dùng@máy/csdl, hoặc đặt biến MATTRAN_DB", def: redactDSN(def)})
	return f.fs.String("db", def, "")
}

// printHelp writes the command's help: how to call it, what it does and
// every option with its default.
func (f *flags) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Cách dùng: mattran %s %s\n\n%s\n", f.cmd, f.synopsis, f.help)
	if len(f.opts) == 0 {
		return
	}
	heads := make([]string, len(f.opts))
	width := 0
	for i, o := range f.opts {
		heads[i] = optionName(o.name)
		if o.arg != "" {
			heads[i] += " " + o.arg
		}
		width = max(width, utf8.RuneCountInString(heads[i]))
	}
	fmt.Fprintln(w, "\nTùy chọn:")
	for i, o := range f.opts {
		line := "  " + heads[i] + strings.Repeat(" ", width-utf8.RuneCountInString(heads[i])) + "  " + o.usage
		if o.def != "" {
			line += " (mặc định: " + o.def + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// optionName is how the help writes an option: -o, --unit. Go's flag
// package takes one dash or two alike.
func optionName(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// parse parses the options and returns the positional arguments, which may
// come before, between or after the options. want names the one positional
// argument the command takes (TỆP, MÃ), or is "" for none. --help prints
// the help and returns flag.ErrHelp.
func (f *flags) parse(args []string, want string) ([]string, error) {
	all := args
	var pos []string
	for {
		if err := f.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printHelp(f.stdout)
				return nil, flag.ErrHelp
			}
			return nil, f.usageError(flagError(err, all))
		}
		if f.fs.NArg() == 0 {
			break
		}
		pos = append(pos, f.fs.Arg(0))
		args = f.fs.Args()[1:]
	}
	switch {
	case want == "" && len(pos) > 0:
		return nil, f.usageError(fmt.Sprintf("thừa đối số %q", pos[0]))
	case want != "" && len(pos) == 0:
		return nil, f.usageError("thiếu " + want)
	case len(pos) > 1:
		return nil, f.usageError(fmt.Sprintf("thừa đối số %q: chỉ nhận một %s", pos[1], want))
	}
	return pos, nil
}

// usageError reports a command line the command cannot run.
func (f *flags) usageError(reason string) error {
	return &usageError{cmd: f.cmd, reason: reason}
}

// usageError is a wrong command line: a bad option, a missing argument. It
// exits 2 with one line, pointing at the help.
type usageError struct {
	cmd    string // "" for mattran itself
	reason string
}

func (e *usageError) Error() string {
	if e.cmd == "" {
		return fmt.Sprintf("mattran: %s (xem mattran --help)", e.reason)
	}
	return fmt.Sprintf("mattran %s: %s (xem mattran %s --help)", e.cmd, e.reason, e.cmd)
}

// flagError says in Vietnamese what the flag package's error says in
// English. The package's messages have been stable since Go 1.0; one it
// does not know is passed on as it is. args, the command line, gives the
// option as the user typed it (--dryrun, where the package writes -dryrun).
func flagError(err error, args []string) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "tùy chọn không hợp lệ " + typed(name, args)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "tùy chọn " + typed(name, args) + " cần một giá trị"
	}
	if arg, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return "tùy chọn sai cú pháp " + arg
	}
	// invalid value "x" for flag -name: reason
	// invalid boolean value "x" for -name: reason
	if rest, ok := strings.CutPrefix(msg, "invalid "); ok {
		boolean := strings.HasPrefix(rest, "boolean ")
		_, rest, _ = strings.Cut(rest, "value ")
		value, rest, _ := strings.Cut(rest, " for ")
		rest = strings.TrimPrefix(rest, "flag ")
		name, reason, _ := strings.Cut(rest, ": ")
		switch {
		case boolean:
			reason = "chỉ nhận true hoặc false"
		case reason == "parse error": // an Int option
			reason = "cần một số nguyên"
		case reason == "value out of range":
			reason = "số quá lớn"
		}
		return fmt.Sprintf("giá trị %s không hợp lệ cho %s: %s", value, typed(name, args), reason)
	}
	return msg
}

// typed returns the option named (as -name) the way it was typed in args.
func typed(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if "-"+n == name {
			a, _, _ = strings.Cut(a, "=")
			return a
		}
	}
	return name
}

// choice is an option whose value is one of a few words.
type choice struct {
	value   string
	allowed []string
}

func (c *choice) String() string { return c.value }

func (c *choice) Set(v string) error {
	for _, a := range c.allowed {
		if v == a {
			c.value = v
			return nil
		}
	}
	return fmt.Errorf("chỉ nhận %s", strings.Join(c.allowed, " hoặc "))
}

// multiFlag collects a repeatable option.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
