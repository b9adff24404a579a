"""Writes a carrier-sized voice deck: ROWS Spanish prefixes of 7 national digits (after 6, 7 and
9), prices cycling through 997 values, a thousand repeating destination names as a carrier's
decks have, and the country's default. Shared by bench/bulk-price.sh and bench/twilio.sh.

    python3 bench/lib/spanish_deck.py OUT.csv ROWS
"""
import sys

path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    out.write("product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description\n")
    for i in range(rows):
        d, k = "679"[i % 3], i // 3
        out.write(f"voice-outbound,ES,,34{d}{k:06d},,any,{0.01 + (i % 997) / 10000:.4f},EUR,60/60,2026-01-01,Spain block {k % 1000}\n")
    out.write("voice-outbound,ES,,,,any,0.2,EUR,60/60,2026-01-01,Spain\n")
