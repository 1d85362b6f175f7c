package scanner

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSplitCodes(t *testing.T) {
	long := strings.Repeat("9", MaxCodeLen+1)
	exact := strings.Repeat("8", MaxCodeLen)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"crlf", "6901234567892\r\n", []string{"6901234567892"}},
		{"cr", "134567890123456780\r", []string{"134567890123456780"}},
		{"lf", "abc\n", []string{"abc"}},
		{"trim spaces", "  abc  \n", []string{"abc"}},
		{"inner spaces kept", " a b \r", []string{"a b"}},
		{"blank lines", "\r\n\r\n   \r\n\n\rx\n", []string{"x"}},
		{"unterminated dropped", "123\r\n456", []string{"123"}},
		{"too long dropped", long + "\r\nok\r\n", []string{"ok"}},
		{"much too long dropped", strings.Repeat("7", 10000) + "\nok\n", []string{"ok"}},
		{"exact max kept", exact + "\n", []string{exact}},
		{"nul dropped", "12\x0034\r\nok\r\n", []string{"ok"}},
		{"tab dropped", "12\t34\n", nil},
		{"del dropped", "12\x7f\n", nil},
		{"high byte dropped", "caf\xc3\xa9\n", nil},
		{"escape after long", long + "\x00\nok\n", []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitCodes([]byte(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("SplitCodes(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// The same input one byte at a time through ReadCodes.
			got, err := collect(iotest.OneByteReader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatalf("ReadCodes: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ReadCodes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadCodesError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("a\r\nb"), iotest.ErrReader(boom))
	got, err := collect(r)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if !slices.Equal(got, []string{"a"}) {
		t.Fatalf("codes = %q, want [a]", got)
	}
}

// collect runs ReadCodes on r and returns what it delivered.
func collect(r io.Reader) ([]string, error) {
	out := make(chan string)
	errc := make(chan error, 1)
	go func() {
		errc <- ReadCodes(r, out)
		close(out)
	}()
	var codes []string
	for c := range out {
		codes = append(codes, c)
	}
	return codes, <-errc
}

// chunkReader returns data in pieces whose sizes cycle through sizes.
type chunkReader struct {
	data  []byte
	sizes []byte
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = int(c.sizes[c.i%len(c.sizes)]) + 1
		c.i++
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func FuzzReadCodes(f *testing.F) {
	f.Add([]byte("6901234567892\r\n134567890123456780\r  abc  \n"), []byte{3})
	f.Add([]byte("12\x0034\r\n"+strings.Repeat("1", 300)+"\nok\n"), []byte{0, 200})
	f.Add([]byte("\r\n\r\n \t\xff\n"), []byte(nil))
	f.Fuzz(func(t *testing.T, data, sizes []byte) {
		whole := SplitCodes(data)
		got, err := collect(&chunkReader{data: data, sizes: sizes})
		if err != nil {
			t.Fatalf("ReadCodes: %v", err)
		}
		if !slices.Equal(got, whole) {
			t.Fatalf("chunked ReadCodes = %q, SplitCodes = %q", got, whole)
		}
		for _, c := range got {
			if c == "" {
				t.Fatal("empty code delivered")
			}
			if len(c) > MaxCodeLen {
				t.Fatalf("code of %d bytes delivered", len(c))
			}
			if c != strings.TrimSpace(c) {
				t.Fatalf("untrimmed code %q", c)
			}
			for i := 0; i < len(c); i++ {
				if c[i] < 0x20 || c[i] > 0x7e {
					t.Fatalf("code %q has byte %#x", c, c[i])
				}
			}
			if !bytes.Contains(data, []byte(c)) {
				t.Fatalf("code %q not in input", c)
			}
		}
	})
}
