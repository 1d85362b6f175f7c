// Package emvcard emulates contactless EMV test cards: a Profile describes
// the card (directory, applications, GPO answer, records, faults to inject)
// and a Card answers command APDUs from it. Transport connects a Card to the
// emv kernel in-process, for unit tests and the demo mode's "tap demo card";
// a virtual reader can serve the same Card through its ATR and Respond
// methods. Every ready profile carries a well-known test PAN.
package emvcard
