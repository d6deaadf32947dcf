;; The decoders' inner loops (io/codecs.ts runs them; scripts/build-wasm.mjs builds the module):
;; TIFF's LZW and PNG's row filters of 16-bit gray images, the two loops that take most of the time
;; of reading compressed detector frames, in wasm where JavaScript spends its time on checks the
;; loops do not need. The module has a memory of its own, which codecs.ts grows and fills; every
;; function takes byte addresses in it. Nothing here allocates or keeps state between calls.
(module
  (memory (export "memory") 1)

  ;; One LZW strip (codes of 9-12 bits, MSB first, the width growing one entry early, as libtiff
  ;; writes it): the input is $n bytes at $src, followed by 2 zero bytes (codes are read three bytes
  ;; at a time); the output goes from $at to $end, and 3 bytes past $end may be written over (short
  ;; strings are copied four bytes at a time). $buf holds the bytes 0..255: a literal is a string like
  ;; any other. $tab: 4096 i32 string addresses, then 4096 i32 string lengths. Each table entry
  ;; is a string already written, so a code is one forward copy (overlapping its source for the
  ;; code that names itself, which the forward copy repeats as it should). Returns the address
  ;; where the output stopped (at $end, an EOI or the end of the input), -1 - code for a code
  ;; that cannot occur, or -5000 where more than $pastFull codes follow a full table with no clear
  ;; code (lzw.ts's LZW_PAST_FULL). Every turn consumes at least 9 bits: the loop ends whatever the
  ;; input.
  (func (export "lzw_decode") (param $src i32) (param $n i32) (param $buf i32) (param $at i32) (param $end i32) (param $tab i32)
    (param $pastFull i32) (result i32)
    (local $p i32) (local $nbits i32) (local $width i32) (local $next i32) (local $old i32)
    (local $oldPos i32) (local $oldLen i32) (local $o i32) (local $i i32) (local $code i32)
    (local $from i32) (local $len i32) (local $k i32) (local $c i32) (local $e i32)
    (loop $init
      (i32.store (i32.add (local.get $tab) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $buf) (local.get $c)))
      (i32.store offset=16384 (i32.add (local.get $tab) (i32.shl (local.get $c) (i32.const 2))) (i32.const 1))
      (br_if $init (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 256))))
    (local.set $nbits (i32.shl (local.get $n) (i32.const 3)))
    (local.set $width (i32.const 9))
    (local.set $next (i32.const 258))
    (local.set $old (i32.const -1))
    (local.set $o (local.get $at))
    (block $done
      (loop $turn
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (br_if $done (i32.gt_u (i32.add (local.get $p) (local.get $width)) (local.get $nbits)))
        (local.set $i (i32.add (local.get $src) (i32.shr_u (local.get $p) (i32.const 3))))
        (local.set $code
          (i32.and
            (i32.shr_u
              (i32.or
                (i32.or (i32.shl (i32.load8_u (local.get $i)) (i32.const 16)) (i32.shl (i32.load8_u offset=1 (local.get $i)) (i32.const 8)))
                (i32.load8_u offset=2 (local.get $i)))
              (i32.sub (i32.sub (i32.const 24) (local.get $width)) (i32.and (local.get $p) (i32.const 7))))
            (i32.sub (i32.shl (i32.const 1) (local.get $width)) (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (local.get $width)))
        (if (i32.eq (local.get $code) (i32.const 256))
          (then
            (local.set $width (i32.const 9))
            (local.set $next (i32.const 258))
            (local.set $old (i32.const -1))
            (br $turn)))
        (br_if $done (i32.eq (local.get $code) (i32.const 257)))
        (if (i32.lt_u (local.get $code) (local.get $next))
          (then
            ;; after a clear code only a literal may come
            (if (i32.and (i32.eq (local.get $old) (i32.const -1)) (i32.gt_u (local.get $code) (i32.const 255)))
              (then (return (i32.sub (i32.const -1) (local.get $code)))))
            (local.set $e (i32.add (local.get $tab) (i32.shl (local.get $code) (i32.const 2))))
            (local.set $from (i32.load (local.get $e)))
            (local.set $len (i32.load offset=16384 (local.get $e))))
          (else
            (if (i32.or (i32.ne (local.get $code) (local.get $next)) (i32.eq (local.get $old) (i32.const -1)))
              (then (return (i32.sub (i32.const -1) (local.get $code)))))
            (local.set $from (local.get $oldPos))
            (local.set $len (i32.add (local.get $oldLen) (i32.const 1)))))
        ;; more data than the strip holds: the rest is dropped
        (if (i32.gt_u (i32.add (local.get $o) (local.get $len)) (local.get $end))
          (then (local.set $len (i32.sub (local.get $end) (local.get $o)))))
        (i32.store8 (local.get $o) (i32.load8_u (local.get $from)))
        (i32.store8 offset=1 (local.get $o) (i32.load8_u offset=1 (local.get $from)))
        (i32.store8 offset=2 (local.get $o) (i32.load8_u offset=2 (local.get $from)))
        (i32.store8 offset=3 (local.get $o) (i32.load8_u offset=3 (local.get $from)))
        (if (i32.gt_u (local.get $len) (i32.const 4))
          (then
            (local.set $k (i32.const 4))
            (loop $copy
              (i32.store8 (i32.add (local.get $o) (local.get $k)) (i32.load8_u (i32.add (local.get $from) (local.get $k))))
              (br_if $copy (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $len))))))
        ;; the new entry: the previous string and this one's first byte, adjacent in the output;
        ;; past a full table entries are only counted, $pastFull of them at most
        (if (i32.ne (local.get $old) (i32.const -1))
          (then
            (if (i32.lt_u (local.get $next) (i32.const 4096))
              (then
                (local.set $e (i32.add (local.get $tab) (i32.shl (local.get $next) (i32.const 2))))
                (i32.store (local.get $e) (local.get $oldPos))
                (i32.store offset=16384 (local.get $e) (i32.add (local.get $oldLen) (i32.const 1)))))
            (local.set $next (i32.add (local.get $next) (i32.const 1)))
            (if (i32.gt_u (local.get $next) (i32.add (i32.const 4096) (local.get $pastFull))) (then (return (i32.const -5000))))
            (if (i32.and
                  (i32.eq (local.get $next) (i32.sub (i32.shl (i32.const 1) (local.get $width)) (i32.const 1)))
                  (i32.lt_u (local.get $width) (i32.const 12)))
              (then (local.set $width (i32.add (local.get $width) (i32.const 1)))))))
        (local.set $old (local.get $code))
        (local.set $oldPos (local.get $o))
        (local.set $oldLen (local.get $len))
        (local.set $o (i32.add (local.get $o) (local.get $len)))
        (br $turn)))
    (local.get $o))

  ;; |x| of an i32
  (func $abs (param $x i32) (result i32)
    (i32.sub (i32.xor (local.get $x) (i32.shr_s (local.get $x) (i32.const 31))) (i32.shr_s (local.get $x) (i32.const 31))))

  ;; The Paeth predictor of left a, above b, upper-left c, without a branch.
  (func $paeth (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local $pa i32) (local $pb i32) (local $pc i32)
    (local.set $pa (call $abs (i32.sub (local.get $b) (local.get $c))))
    (local.set $pb (call $abs (i32.sub (local.get $a) (local.get $c))))
    (local.set $pc (call $abs (i32.sub (i32.add (local.get $a) (local.get $b)) (i32.shl (local.get $c) (i32.const 1)))))
    (select
      (local.get $a)
      (select (local.get $b) (local.get $c) (i32.le_u (local.get $pb) (local.get $pc)))
      (i32.and (i32.le_u (local.get $pa) (local.get $pb)) (i32.le_u (local.get $pa) (local.get $pc)))))

  ;; A 16-bit gray PNG's rows (each a filter type byte, then 2·$width bytes, big-endian samples) at
  ;; $raw: unfiltered in place and written as little-endian 16-bit samples at $out, the left
  ;; pixel's two bytes carried in locals. Returns 0, or 1 + the row whose filter type PNG does not
  ;; define.
  (func (export "png_gray16") (param $raw i32) (param $width i32) (param $height i32) (param $out i32) (result i32)
    (local $y i32) (local $s i32) (local $o i32) (local $e i32) (local $f i32) (local $row i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $c0 i32) (local $c1 i32)
    (local.set $row (i32.add (i32.shl (local.get $width) (i32.const 1)) (i32.const 1)))
    (local.set $o (local.get $out))
    (block $rows
      (loop $next_row
        (br_if $rows (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $s (i32.add (i32.add (local.get $raw) (i32.mul (local.get $y) (local.get $row))) (i32.const 1)))
        (local.set $e (i32.add (local.get $o) (i32.shl (local.get $width) (i32.const 1))))
        (local.set $f (i32.load8_u (i32.sub (local.get $s) (i32.const 1))))
        (if (i32.gt_u (local.get $f) (i32.const 4)) (then (return (i32.add (local.get $y) (i32.const 1)))))
        ;; the first row has no row above: Up is None, Average halves the left pixel, Paeth takes it
        (if (i32.eqz (local.get $y))
          (then (local.set $f (select (select (i32.const 0) (i32.const 5) (i32.eq (local.get $f) (i32.const 2))) (local.get $f)
                                      (i32.or (i32.eq (local.get $f) (i32.const 2)) (i32.eq (local.get $f) (i32.const 3)))))
                (if (i32.eq (local.get $f) (i32.const 4)) (then (local.set $f (i32.const 1))))))
        (local.set $a0 (i32.const 0))
        (local.set $a1 (i32.const 0))
        (local.set $c0 (i32.const 0))
        (local.set $c1 (i32.const 0))
        (block $done
          (block $avg0
            (block $paeth
              (block $avg
                (block $up
                  (block $sub
                    (block $none
                      (br_table $none $sub $up $avg $paeth $avg0 (local.get $f)))
                    ;; None
                    (loop $l
                      (i32.store16 (local.get $o) (i32.or (i32.shl (i32.load8_u (local.get $s)) (i32.const 8)) (i32.load8_u offset=1 (local.get $s))))
                      (local.set $s (i32.add (local.get $s) (i32.const 2)))
                      (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e))))
                    (br $done))
                  ;; Sub
                  (loop $l
                    (local.set $a0 (i32.and (i32.add (i32.load8_u (local.get $s)) (local.get $a0)) (i32.const 255)))
                    (local.set $a1 (i32.and (i32.add (i32.load8_u offset=1 (local.get $s)) (local.get $a1)) (i32.const 255)))
                    (i32.store8 (local.get $s) (local.get $a0))
                    (i32.store8 offset=1 (local.get $s) (local.get $a1))
                    (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $a0) (i32.const 8)) (local.get $a1)))
                    (local.set $s (i32.add (local.get $s) (i32.const 2)))
                    (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e))))
                  (br $done))
                ;; Up
                (loop $l
                  (local.set $a0 (i32.and (i32.add (i32.load8_u (local.get $s)) (i32.load8_u (i32.sub (local.get $s) (local.get $row)))) (i32.const 255)))
                  (local.set $a1 (i32.and (i32.add (i32.load8_u offset=1 (local.get $s)) (i32.load8_u offset=1 (i32.sub (local.get $s) (local.get $row)))) (i32.const 255)))
                  (i32.store8 (local.get $s) (local.get $a0))
                  (i32.store8 offset=1 (local.get $s) (local.get $a1))
                  (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $a0) (i32.const 8)) (local.get $a1)))
                  (local.set $s (i32.add (local.get $s) (i32.const 2)))
                  (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e))))
                (br $done))
              ;; Average
              (loop $l
                (local.set $a0 (i32.and (i32.add (i32.load8_u (local.get $s))
                  (i32.shr_u (i32.add (local.get $a0) (i32.load8_u (i32.sub (local.get $s) (local.get $row)))) (i32.const 1))) (i32.const 255)))
                (local.set $a1 (i32.and (i32.add (i32.load8_u offset=1 (local.get $s))
                  (i32.shr_u (i32.add (local.get $a1) (i32.load8_u offset=1 (i32.sub (local.get $s) (local.get $row)))) (i32.const 1))) (i32.const 255)))
                (i32.store8 (local.get $s) (local.get $a0))
                (i32.store8 offset=1 (local.get $s) (local.get $a1))
                (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $a0) (i32.const 8)) (local.get $a1)))
                (local.set $s (i32.add (local.get $s) (i32.const 2)))
                (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e))))
              (br $done))
            ;; Paeth
            (loop $l
              (local.set $b0 (i32.load8_u (i32.sub (local.get $s) (local.get $row))))
              (local.set $b1 (i32.load8_u offset=1 (i32.sub (local.get $s) (local.get $row))))
              (local.set $a0 (i32.and (i32.add (i32.load8_u (local.get $s)) (call $paeth (local.get $a0) (local.get $b0) (local.get $c0))) (i32.const 255)))
              (local.set $a1 (i32.and (i32.add (i32.load8_u offset=1 (local.get $s)) (call $paeth (local.get $a1) (local.get $b1) (local.get $c1))) (i32.const 255)))
              (i32.store8 (local.get $s) (local.get $a0))
              (i32.store8 offset=1 (local.get $s) (local.get $a1))
              (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $a0) (i32.const 8)) (local.get $a1)))
              (local.set $c0 (local.get $b0))
              (local.set $c1 (local.get $b1))
              (local.set $s (i32.add (local.get $s) (i32.const 2)))
              (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e))))
            (br $done))
          ;; Average on the first row: half the left pixel
          (loop $l
            (local.set $a0 (i32.and (i32.add (i32.load8_u (local.get $s)) (i32.shr_u (local.get $a0) (i32.const 1))) (i32.const 255)))
            (local.set $a1 (i32.and (i32.add (i32.load8_u offset=1 (local.get $s)) (i32.shr_u (local.get $a1) (i32.const 1))) (i32.const 255)))
            (i32.store8 (local.get $s) (local.get $a0))
            (i32.store8 offset=1 (local.get $s) (local.get $a1))
            (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $a0) (i32.const 8)) (local.get $a1)))
            (local.set $s (i32.add (local.get $s) (i32.const 2)))
            (br_if $l (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 2))) (local.get $e)))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $next_row)))
    (i32.const 0))
)
