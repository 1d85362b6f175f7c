// Command acquirer-sim is a simulated acquirer host speaking Till's ISO 8583
// over TCP, for demos and tests:
//
//	acquirer-sim -listen 127.0.0.1:8583 -db ledger.jsonl -tmk 000102030405060708090A0B0C0D0E0F
//	acquirer-sim -db ledger.jsonl -print   # print the ledger as JSON and exit
//	acquirer-sim -latency 2s -drop 0.1     # fault switches
//	acquirer-sim -http 127.0.0.1:8584      # customers' side: curl -d payload=... -d wallet=alipay 127.0.0.1:8584/qr/pay
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8583", "address to listen on (keep it on loopback)")
	db := flag.String("db", "acquirer-ledger.jsonl", "ledger file `path` (JSON lines)")
	keyHex := flag.String("tmk", simhost.DemoMasterKey, "the terminals' master key, 32 hex digits (the demo's by default)")
	print := flag.Bool("print", false, "print the ledger as JSON and exit")
	latency := flag.Duration("latency", 0, "fault: delay every answer by this much")
	drop := flag.Float64("drop", 0, "fault: drop this share (0–1) of answers at random")
	refuse := flag.Bool("refuse", false, "fault: close every connection at once, as a host that is down")
	badMAC := flag.Bool("bad-mac", false, "fault: sign answers with a wrong MAC key")
	closeEvery := flag.Duration("close-every", 0, "fault: drop every open connection at this interval")
	httpAddr := flag.String("http", "", "serve the customers' side on `ADDR` (POST /qr/pay, POST /paycode, GET /ledger); keep it on loopback")
	flag.Parse()
	if err := run(*listen, *db, *keyHex, *print, *httpAddr, faults{*latency, *drop, *refuse, *badMAC, *closeEvery}); err != nil {
		fmt.Fprintln(os.Stderr, "acquirer-sim:", err)
		os.Exit(1)
	}
}

// faults are the simulator's fault switches.
type faults struct {
	latency    time.Duration
	drop       float64
	refuse     bool
	badMAC     bool
	closeEvery time.Duration
}

func run(listen, db, keyHex string, print bool, httpAddr string, f faults) error {
	key, err := hex.DecodeString(keyHex)
	if err != nil || len(key) != acquirer.MasterKeySize {
		return fmt.Errorf("-tmk: 32 hex digits are needed")
	}
	if print {
		listen = "127.0.0.1:0"
	}
	h, err := simhost.Start(simhost.Options{Addr: listen, LedgerPath: db, MasterKey: key,
		Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }})
	if err != nil {
		return err
	}
	defer h.Close()
	if print {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(h.Ledger())
	}
	h.SetLatency(f.latency)
	if f.drop > 0 {
		h.DropRandomly(f.drop, time.Now().UnixNano())
	}
	h.RefuseConnections(f.refuse)
	if f.badMAC {
		wrong, err := acquirer.ParseMACKey("ffeeddccbbaa99887766554433221100")
		if err != nil {
			return err
		}
		h.SignWithWrongKey(wrong)
	}
	if f.closeEvery > 0 {
		go func() {
			for range time.Tick(f.closeEvery) {
				h.CloseConnections()
			}
		}()
	}
	if httpAddr != "" {
		srv := &http.Server{Addr: httpAddr, Handler: h.Handler(), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
				fmt.Fprintln(os.Stderr, "acquirer-sim: http:", err)
			}
		}()
		defer srv.Close()
		fmt.Println("acquirer-sim customers' side on http://" + httpAddr)
	}
	fmt.Println("acquirer-sim listening on", h.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
