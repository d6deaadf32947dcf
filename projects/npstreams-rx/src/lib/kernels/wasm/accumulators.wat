;; The wasm backend's fused accumulator kernels: 128-bit SIMD loops over tfjs-backend-wasm's
;; own heap. The module imports the backend's memory (scripts/build-wasm.mjs also builds a
;; variant importing it `shared`, for tfjs's threaded build), allocates nothing, keeps no state:
;; every function takes byte offsets of tensors the JS side found in the heap
;; (kernels/wasm/heap.ts). Vector loops cover the first n4 = n - n mod 4 elements; the JS side
;; runs the same arithmetic (kernels/cpu/loops.ts) for the rest.
;;
;; Accumulators are planes of n float32 each (kernels/reference/*.ts says what they hold):
;; plane k of an accumulator at `acc` starts at acc + k·4n. The compensated steps are
;; Knuth's TwoSum followed by Dekker's FastTwoSum renormalization, in the same order as the
;; reference, with IEEE float32 semantics (no fast-math exists in wasm): a pair that is not
;; finite keeps its value in hi and 0 in lo.
(module
  (import "env" "memory" (memory 1 65536))

  ;; acc (hi, lo planes) + x -> out (may be acc). Four lanes whose new hi is finite are stored as
  ;; computed (then s was finite too: inf or NaN in s makes t, and so hi, NaN); otherwise the
  ;; masked path keeps s (inf, NaN) or the overflowed hi with lo 0.
  (func (export "sum_add_f32") (param $acc i32) (param $x i32) (param $out i32) (param $n i32) (param $n4 i32)
    (local $i i32) (local $end i32) (local $alo i32) (local $olo i32) (local $inf v128)
    (local $hi v128) (local $xv v128) (local $s v128) (local $bv v128) (local $t v128)
    (local $h v128) (local $fs v128)
    (local.set $alo (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $olo (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $inf (v128.const f32x4 inf inf inf inf))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $hi (v128.load (i32.add (local.get $acc) (local.get $i))))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        ;; TwoSum(hi, x) = s + e; t = lo + e
        (local.set $s (f32x4.add (local.get $hi) (local.get $xv)))
        (local.set $bv (f32x4.sub (local.get $s) (local.get $hi)))
        (local.set $t (f32x4.add (v128.load (i32.add (local.get $alo) (local.get $i)))
          (f32x4.add (f32x4.sub (local.get $hi) (f32x4.sub (local.get $s) (local.get $bv)))
                     (f32x4.sub (local.get $xv) (local.get $bv)))))
        ;; FastTwoSum(s, t) = h + l
        (local.set $h (f32x4.add (local.get $s) (local.get $t)))
        (if (i32x4.all_true (f32x4.lt (f32x4.abs (local.get $h)) (local.get $inf)))
          (then
            (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $h))
            (v128.store (i32.add (local.get $olo) (local.get $i))
              (f32x4.sub (local.get $t) (f32x4.sub (local.get $h) (local.get $s)))))
          (else
            (local.set $fs (f32x4.lt (f32x4.abs (local.get $s)) (local.get $inf)))
            (v128.store (i32.add (local.get $out) (local.get $i))
              (v128.bitselect (local.get $h) (local.get $s) (local.get $fs)))
            (v128.store (i32.add (local.get $olo) (local.get $i))
              (v128.and (f32x4.sub (local.get $t) (f32x4.sub (local.get $h) (local.get $s)))
                (v128.and (local.get $fs) (f32x4.lt (f32x4.abs (local.get $h)) (local.get $inf)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; acc + x -> out for int32; returns 1 where an addition overflowed (two's complement: the
  ;; operands share a sign the sum does not have), 0 otherwise.
  (func (export "sum_add_i32") (param $acc i32) (param $x i32) (param $out i32) (param $n4 i32) (result i32)
    (local $i i32) (local $end i32) (local $a v128) (local $xv v128) (local $s v128) (local $ov v128)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (v128.load (i32.add (local.get $acc) (local.get $i))))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $s (i32x4.add (local.get $a) (local.get $xv)))
        (local.set $ov (v128.or (local.get $ov)
          (v128.and (v128.xor (local.get $a) (local.get $s)) (v128.xor (local.get $xv) (local.get $s)))))
        (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (i32.ne (i32x4.bitmask (local.get $ov)) (i32.const 0)))

  ;; (hi + lo) / divisor -> out (n floats).
  (func (export "sum_value_f32") (param $acc i32) (param $out i32) (param $n i32) (param $n4 i32) (param $divisor f32)
    (local $i i32) (local $end i32) (local $nb i32) (local $d v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $d (f32x4.splat (local.get $divisor)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.div
            (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $i)))
                       (v128.load (i32.add (i32.add (local.get $acc) (local.get $nb)) (local.get $i))))
            (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; One West/Welford step (kernels/reference/moments.ts) of planes mean (hi, lo), S (hi, lo)
  ;; and, with $p = 6, W (hi, lo). $p = 4: the weight $w and r = w / W are scalars. $p = 6: the
  ;; weight is per element at $wp when $hasW, else $w; with $ignoreNaN a NaN value weighs 0.
  ;; The mean and S take Kahan steps (see below); W, rare, TwoSum and FastTwoSum.
  ;; Four elements take the fast path when the new S is finite (then so are x and the mean); otherwise the
  ;; masked path: the mean becomes mean + w·x (inf stays inf, inf - inf is NaN) and S NaN, or,
  ;; where only S overflowed, S keeps its inf with lo 0. (With x and the mean finite the new mean
  ;; is finite: it lies between them.)
  (func (export "moments_update") (param $acc i32) (param $x i32) (param $out i32) (param $n i32) (param $n4 i32)
    (param $p i32) (param $w f32) (param $r f32) (param $wp i32) (param $hasW i32) (param $ignoreNaN i32)
    (local $i i32) (local $end i32) (local $nb i32) (local $inf v128) (local $w0 v128)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $a4 i32) (local $a5 i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $o4 i32) (local $o5 i32)
    (local $xv v128) (local $mh v128) (local $ml v128) (local $wv v128) (local $rv v128) (local $d v128)
    (local $s v128) (local $bv v128) (local $t v128) (local $h v128) (local $h1 v128) (local $l1 v128)
    (local $ok v128) (local $nan v128) (local $sh v128) (local $v v128) (local $l2 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    ;; plane k of the accumulator and of the output: base + k·4n
    (local.set $a1 (i32.add (local.get $acc) (local.get $nb)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $nb)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $nb)))
    (local.set $a4 (i32.add (local.get $a3) (local.get $nb)))
    (local.set $a5 (i32.add (local.get $a4) (local.get $nb)))
    (local.set $o1 (i32.add (local.get $out) (local.get $nb)))
    (local.set $o2 (i32.add (local.get $o1) (local.get $nb)))
    (local.set $o3 (i32.add (local.get $o2) (local.get $nb)))
    (local.set $o4 (i32.add (local.get $o3) (local.get $nb)))
    (local.set $o5 (i32.add (local.get $o4) (local.get $nb)))
    (local.set $inf (v128.const f32x4 inf inf inf inf))
    (local.set $w0 (f32x4.splat (local.get $w)))
    (local.set $wv (local.get $w0))
    (local.set $rv (f32x4.splat (local.get $r)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (if (i32.eq (local.get $p) (i32.const 6))
          (then
            (local.set $wv
              (if (result v128) (local.get $hasW)
                (then (v128.load (i32.add (local.get $wp) (local.get $i))))
                (else (local.get $w0))))
            (if (local.get $ignoreNaN)
              (then
                (local.set $nan (f32x4.ne (local.get $xv) (local.get $xv)))
                (local.set $wv (v128.andnot (local.get $wv) (local.get $nan)))
                (local.set $xv (v128.andnot (local.get $xv) (local.get $nan)))))
            ;; W += w (compensated), r = w / W (0 where W is 0)
            (local.set $sh (v128.load (i32.add (local.get $a4) (local.get $i))))
            (local.set $s (f32x4.add (local.get $sh) (local.get $wv)))
            (local.set $bv (f32x4.sub (local.get $s) (local.get $sh)))
            (local.set $t (f32x4.add (v128.load (i32.add (local.get $a5) (local.get $i)))
              (f32x4.add (f32x4.sub (local.get $sh) (f32x4.sub (local.get $s) (local.get $bv)))
                         (f32x4.sub (local.get $wv) (local.get $bv)))))
            (local.set $h (f32x4.add (local.get $s) (local.get $t)))
            (v128.store (i32.add (local.get $o4) (local.get $i)) (local.get $h))
            (v128.store (i32.add (local.get $o5) (local.get $i))
              (v128.and (f32x4.sub (local.get $t) (f32x4.sub (local.get $h) (local.get $s)))
                (f32x4.lt (f32x4.abs (local.get $h)) (local.get $inf))))
            (local.set $rv (v128.and (f32x4.div (local.get $wv) (local.get $h))
              (f32x4.ne (local.get $h) (v128.const f32x4 0 0 0 0))))))
        (local.set $mh (v128.load (i32.add (local.get $acc) (local.get $i))))
        (local.set $ml (v128.load (i32.add (local.get $a1) (local.get $i))))
        ;; d = (x - mean_hi) - mean_lo; mean += d·r, a Kahan step: y = v + lo, t = hi + y,
        ;; lo = y - (t - hi). Kahan's bound 2u·Σ|terms| does not grow with the stream, at 4 ops
        ;; where TwoSum and FastTwoSum take 9 (this loop is compute-bound).
        (local.set $d (f32x4.sub (f32x4.sub (local.get $xv) (local.get $mh)) (local.get $ml)))
        (local.set $t (f32x4.add (f32x4.mul (local.get $d) (local.get $rv)) (local.get $ml)))
        (local.set $h1 (f32x4.add (local.get $mh) (local.get $t)))
        (local.set $l1 (f32x4.sub (local.get $t) (f32x4.sub (local.get $h1) (local.get $mh))))
        ;; S += (d·w)·((x - mean_hi) - mean_lo) with the new mean, a Kahan step (the terms are >= 0)
        (local.set $v (f32x4.add (f32x4.mul (f32x4.mul (local.get $d) (local.get $wv))
          (f32x4.sub (f32x4.sub (local.get $xv) (local.get $h1)) (local.get $l1)))
          (v128.load (i32.add (local.get $a3) (local.get $i)))))
        (local.set $sh (v128.load (i32.add (local.get $a2) (local.get $i))))
        (local.set $h (f32x4.add (local.get $sh) (local.get $v)))
        (local.set $l2 (f32x4.sub (local.get $v) (f32x4.sub (local.get $h) (local.get $sh))))
        ;; the new S finite in the four lanes (it is NaN or inf whenever x or the mean is not
        ;; finite, or S overflowed): store as computed
        (if (i32x4.all_true (f32x4.lt (f32x4.abs (local.get $h)) (local.get $inf)))
          (then
            (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $h1))
            (v128.store (i32.add (local.get $o1) (local.get $i)) (local.get $l1))
            (v128.store (i32.add (local.get $o2) (local.get $i)) (local.get $h))
            (v128.store (i32.add (local.get $o3) (local.get $i)) (local.get $l2)))
          (else
            (local.set $ok (v128.and (f32x4.lt (f32x4.abs (local.get $xv)) (local.get $inf))
                                     (f32x4.lt (f32x4.abs (local.get $mh)) (local.get $inf))))
            (v128.store (i32.add (local.get $out) (local.get $i))
              (v128.bitselect (local.get $h1) (f32x4.add (local.get $mh) (f32x4.mul (local.get $wv) (local.get $xv))) (local.get $ok)))
            (v128.store (i32.add (local.get $o1) (local.get $i)) (v128.and (local.get $l1) (local.get $ok)))
            (v128.store (i32.add (local.get $o2) (local.get $i))
              (v128.bitselect (local.get $h) (v128.const f32x4 nan nan nan nan) (local.get $ok)))
            (v128.store (i32.add (local.get $o3) (local.get $i))
              (v128.and (local.get $l2) (v128.and (local.get $ok) (f32x4.lt (f32x4.abs (local.get $h)) (local.get $inf)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

;; The value of moments planes with a scalar total weight (p = 4): $what 0 the mean hi + lo,
  ;; 1 the variance (S hi + S lo) x $scale, 2 its square root, 3 the same root of the variance of
  ;; the mean ($scale: momentsScale in kernels/shared/loops.ts). In float64, two lanes at a time,
  ;; rounded once to float32: the same arithmetic, so the same bits, as the JS loop there.
  (func (export "moments_value4") (param $acc i32) (param $out i32) (param $n i32) (param $n4 i32)
    (param $scale f64) (param $what i32)
    (local $i i32) (local $end i32) (local $src i32) (local $nb i32) (local $hi v128) (local $lo v128)
    (local $a v128) (local $b v128) (local $s v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $src (i32.add (local.get $acc)
      (if (result i32) (local.get $what) (then (i32.shl (local.get $nb) (i32.const 1))) (else (i32.const 0)))))
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $s (f64x2.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $hi (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $lo (v128.load (i32.add (i32.add (local.get $src) (local.get $nb)) (local.get $i))))
        ;; lanes 0, 1 in $a and 2, 3 in $b, each hi + lo exactly as JS adds two float32s
        (local.set $a (f64x2.add (f64x2.promote_low_f32x4 (local.get $hi)) (f64x2.promote_low_f32x4 (local.get $lo))))
        (local.set $b (f64x2.add
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hi) (local.get $hi)))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $lo) (local.get $lo)))))
        (if (local.get $what)
          (then
            (local.set $a (f64x2.mul (local.get $a) (local.get $s)))
            (local.set $b (f64x2.mul (local.get $b) (local.get $s)))
            (if (i32.ge_u (local.get $what) (i32.const 2))
              (then
                (local.set $a (f64x2.sqrt (local.get $a)))
                (local.set $b (f64x2.sqrt (local.get $b)))))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $a)) (f32x4.demote_f64x2_zero (local.get $b))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; The sum of the first n4 float32 values at $x in float64: four partial sums (lanes 0, 2 and 1,
  ;; 3 of two float64x2 accumulators), added at the end (the JS side adds the last n mod 4).
  (func (export "sum_all_f32") (param $x i32) (param $n4 i32) (result f64)
    (local $i i32) (local $end i32) (local $v v128) (local $a v128) (local $b v128)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $a (f64x2.add (local.get $a) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $b (f64x2.add (local.get $b)
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
      (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b)))))

  ;; Each $f x $f block of an [h, w] float32 image at $x as its mean ($max 0) or max ($max 1, NaN
  ;; propagates), into [h / f, w / f] at $out: block by block, in float64, rounded once (the
  ;; same arithmetic as the JS loop pool2dLoop in kernels/shared/loops.ts).
  (func (export "pool_f32") (param $x i32) (param $out i32) (param $h i32) (param $w i32) (param $f i32) (param $max i32)
    (local $oy i32) (local $ox i32) (local $dy i32) (local $dx i32) (local $hh i32) (local $ww i32)
    (local $p i32) (local $o i32) (local $step i32) (local $area f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local.set $hh (i32.div_u (local.get $h) (local.get $f)))
    (local.set $ww (i32.div_u (local.get $w) (local.get $f)))
    (local.set $area (f64.convert_i32_u (i32.mul (local.get $f) (local.get $f))))
    (local.set $step (i32.shl (local.get $f) (i32.const 2)))
    (local.set $o (local.get $out))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $oy) (local.get $hh)))
        (local.set $ox (i32.const 0))
        ;; four blocks side by side at a time (four independent sums: the same order within each),
        ;; then one at a time (s0 only) for the last ww mod 4
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $ox) (local.get $ww)))
            (local.set $s0 (if (result f64) (local.get $max) (then (f64.const -inf)) (else (f64.const 0))))
            (local.set $s1 (local.get $s0))
            (local.set $s2 (local.get $s0))
            (local.set $s3 (local.get $s0))
            (local.set $dy (i32.const 0))
            (block $dy_done
              (loop $dys
                (br_if $dy_done (i32.ge_u (local.get $dy) (local.get $f)))
                ;; x + ((oy f + dy) w + ox f) x 4
                (local.set $p (i32.add (local.get $x) (i32.shl
                  (i32.add (i32.mul (i32.add (i32.mul (local.get $oy) (local.get $f)) (local.get $dy)) (local.get $w))
                           (i32.mul (local.get $ox) (local.get $f)))
                  (i32.const 2))))
                (local.set $dx (i32.const 0))
                (block $dx_done
                  (loop $dxs
                    (br_if $dx_done (i32.ge_u (local.get $dx) (local.get $f)))
                    (if (i32.le_u (i32.add (local.get $ox) (i32.const 4)) (local.get $ww))
                      (then
                        (if (local.get $max)
                          (then
                            (local.set $s0 (f64.max (local.get $s0) (f64.promote_f32 (f32.load (local.get $p)))))
                            (local.set $s1 (f64.max (local.get $s1) (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $step))))))
                            (local.set $s2 (f64.max (local.get $s2) (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $step) (i32.const 1)))))))
                            (local.set $s3 (f64.max (local.get $s3) (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.mul (local.get $step) (i32.const 3))))))))
                          (else
                            (local.set $s0 (f64.add (local.get $s0) (f64.promote_f32 (f32.load (local.get $p)))))
                            (local.set $s1 (f64.add (local.get $s1) (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $step))))))
                            (local.set $s2 (f64.add (local.get $s2) (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $step) (i32.const 1)))))))
                            (local.set $s3 (f64.add (local.get $s3) (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.mul (local.get $step) (i32.const 3))))))))))
                      (else
                        (local.set $s0 (if (result f64) (local.get $max)
                          (then (f64.max (local.get $s0) (f64.promote_f32 (f32.load (local.get $p)))))
                          (else (f64.add (local.get $s0) (f64.promote_f32 (f32.load (local.get $p)))))))))
                    (local.set $p (i32.add (local.get $p) (i32.const 4)))
                    (local.set $dx (i32.add (local.get $dx) (i32.const 1)))
                    (br $dxs)))
                (local.set $dy (i32.add (local.get $dy) (i32.const 1)))
                (br $dys)))
            (if (local.get $max)
              (then)
              (else
                (local.set $s0 (f64.div (local.get $s0) (local.get $area)))
                (local.set $s1 (f64.div (local.get $s1) (local.get $area)))
                (local.set $s2 (f64.div (local.get $s2) (local.get $area)))
                (local.set $s3 (f64.div (local.get $s3) (local.get $area)))))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $s0)))
            (if (i32.le_u (i32.add (local.get $ox) (i32.const 4)) (local.get $ww))
              (then
                (f32.store offset=4 (local.get $o) (f32.demote_f64 (local.get $s1)))
                (f32.store offset=8 (local.get $o) (f32.demote_f64 (local.get $s2)))
                (f32.store offset=12 (local.get $o) (f32.demote_f64 (local.get $s3)))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 4))))
              (else
                (local.set $o (i32.add (local.get $o) (i32.const 4)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))))
            (br $cols)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $rows))))

  ;; Running extrema of float32: op 0 max, 1 min (NaN propagates, as wasm's own f32x4.max/min),
  ;; 2 fmax, 3 fmin (NaN skipped: the other operand wins).
  (func (export "extrema_f32") (param $acc i32) (param $x i32) (param $out i32) (param $n4 i32) (param $op i32)
    (local $i i32) (local $end i32) (local $a v128) (local $xv v128) (local $m v128)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (v128.load (i32.add (local.get $acc) (local.get $i))))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $m
          (if (result v128) (i32.and (local.get $op) (i32.const 1))
            (then (f32x4.min (local.get $a) (local.get $xv)))
            (else (f32x4.max (local.get $a) (local.get $xv)))))
        (if (i32.ge_u (local.get $op) (i32.const 2))
          (then
            (local.set $m (v128.bitselect (local.get $a) (local.get $m) (f32x4.ne (local.get $xv) (local.get $xv))))
            (local.set $m (v128.bitselect (local.get $xv) (local.get $m) (f32x4.ne (local.get $a) (local.get $a))))))
        (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $m))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; Running extrema of int32: op 0 and 2 max, 1 and 3 min.
  (func (export "extrema_i32") (param $acc i32) (param $x i32) (param $out i32) (param $n4 i32) (param $op i32)
    (local $i i32) (local $end i32) (local $a v128) (local $xv v128)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (v128.load (i32.add (local.get $acc) (local.get $i))))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (if (result v128) (i32.and (local.get $op) (i32.const 1))
            (then (i32x4.min_s (local.get $a) (local.get $xv)))
            (else (i32x4.max_s (local.get $a) (local.get $xv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; np.histogram counts of n float32 values at $x with $ne float32 edges at $edges, added to
  ;; ($ne - 1) float64 counts at $counts: bin j holds edges[j] <= v < edges[j + 1], the last
  ;; bin is closed, NaN and values outside are skipped. Each value adds its weight: per element
  ;; at $wp when $hasW, else $w.
  (func (export "histogram") (param $x i32) (param $n i32) (param $edges i32) (param $ne i32) (param $counts i32)
    (param $w f32) (param $wp i32) (param $hasW i32)
    (local $i i32) (local $v f32) (local $lo f32) (local $hi f32) (local $a i32) (local $b i32) (local $mid i32) (local $c i32)
    (local.set $lo (f32.load (local.get $edges)))
    (local.set $hi (f32.load (i32.add (local.get $edges) (i32.shl (i32.sub (local.get $ne) (i32.const 1)) (i32.const 2)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.and (f32.ge (local.get $v) (local.get $lo)) (f32.le (local.get $v) (local.get $hi)))
          (then
            ;; the largest a with edges[a] <= v, a < ne - 1
            (local.set $a (i32.const 0))
            (local.set $b (i32.sub (local.get $ne) (i32.const 1)))
            (block $found
              (loop $search
                (br_if $found (i32.le_s (i32.sub (local.get $b) (local.get $a)) (i32.const 1)))
                (local.set $mid (i32.shr_u (i32.add (local.get $a) (local.get $b)) (i32.const 1)))
                (if (f32.le (f32.load (i32.add (local.get $edges) (i32.shl (local.get $mid) (i32.const 2)))) (local.get $v))
                  (then (local.set $a (local.get $mid)))
                  (else (local.set $b (local.get $mid))))
                (br $search)))
            (local.set $c (i32.add (local.get $counts) (i32.shl (local.get $a) (i32.const 3))))
            (f64.store (local.get $c)
              (f64.add (f64.load (local.get $c))
                (f64.promote_f32
                  (if (result f32) (local.get $hasW)
                    (then (f32.load (i32.add (local.get $wp) (i32.shl (local.get $i) (i32.const 2)))))
                    (else (local.get $w))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; 16-bit integers at $src (n of them; $signed: int16, else uint16) as float32 at $dst: exact
  ;; (every 16-bit integer is a float32), eight per step, then one at a time.
  (func (export "widen16_f32") (param $src i32) (param $dst i32) (param $n i32) (param $signed i32)
    (local $i i32) (local $n8 i32) (local $v v128) (local $a i32)
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n8)))
        (local.set $v (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $a (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
        (if (local.get $signed)
          (then
            (v128.store (local.get $a) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $v))))
            (v128.store offset=16 (local.get $a) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $v)))))
          (else
            (v128.store (local.get $a) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $v))))
            (v128.store offset=16 (local.get $a) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $v))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (block $end
      (loop $rest
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1))))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (f32.convert_i32_s (if (result i32) (local.get $signed)
            (then (i32.load16_s (local.get $a)))
            (else (i32.load16_u (local.get $a))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rest))))

  ;; The finite min and max of the first n4 float32 at $x, stored as two float32 at $out (lo, hi):
  ;; non-finite lanes ((v - v) != 0: NaN, ±inf) count as +inf for the min and -inf for the max, so
  ;; [inf, -inf] where no value is finite (colorize's range; kernels/cpu/colorize.ts finiteRange).
  (func (export "range_f32") (param $x i32) (param $n4 i32) (param $out i32)
    (local $i i32) (local $end i32) (local $v v128) (local $finite v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $lo (f32x4.splat (f32.const inf)))
    (local.set $hi (f32x4.splat (f32.const -inf)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $finite (f32x4.eq (f32x4.sub (local.get $v) (local.get $v)) (f32x4.splat (f32.const 0))))
        ;; pmin / pmax (one instruction each): no NaN reaches them
        (local.set $lo (f32x4.pmin (local.get $lo) (v128.bitselect (local.get $v) (f32x4.splat (f32.const inf)) (local.get $finite))))
        (local.set $hi (f32x4.pmax (local.get $hi) (v128.bitselect (local.get $v) (f32x4.splat (f32.const -inf)) (local.get $finite))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (f32.store (local.get $out)
      (f32.min (f32.min (f32x4.extract_lane 0 (local.get $lo)) (f32x4.extract_lane 1 (local.get $lo)))
               (f32.min (f32x4.extract_lane 2 (local.get $lo)) (f32x4.extract_lane 3 (local.get $lo)))))
    (f32.store offset=4 (local.get $out)
      (f32.max (f32.max (f32x4.extract_lane 0 (local.get $hi)) (f32x4.extract_lane 1 (local.get $hi)))
               (f32.max (f32x4.extract_lane 2 (local.get $hi)) (f32x4.extract_lane 3 (local.get $hi))))))

  ;; One value's packed colour (colorize's careful path): t = (v - lo)·scale in float64; t in
  ;; [0, 255] takes lut[trunc(t + 0.5)], NaN transparent black (0), below lo lut[0], else lut[255].
  (func $colour (param $v f64) (param $lo f64) (param $scale f64) (param $lut i32) (result i32)
    (local $t f64)
    (local.set $t (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale)))
    (if (result i32) (i32.and (f64.ge (local.get $t) (f64.const 0)) (f64.le (local.get $t) (f64.const 255)))
      (then (i32.load (i32.add (local.get $lut)
        (i32.shl (i32.trunc_f64_s (f64.add (local.get $t) (f64.const 0.5))) (i32.const 2)))))
      (else
        (if (result i32) (f64.ne (local.get $v) (local.get $v))
          (then (i32.const 0))
          (else (if (result i32) (f64.lt (local.get $v) (local.get $lo))
            (then (i32.load (local.get $lut)))
            (else (i32.load offset=1020 (local.get $lut)))))))))

  ;; The n float32 at $x as packed colours (int32) at $out through the 256-entry $lut, for lo and
  ;; scale = 255 / (hi - lo) > 0: the arithmetic of colorizeLoop (kernels/cpu/colorize.ts), the
  ;; same bits. Four values at a time: t in float64 (two f64x2), and where all four lie in
  ;; [0, 255] (the common case) their indices at once; otherwise, and for the last n mod 4, $colour.
  (func (export "colorize_f32") (param $x i32) (param $n i32) (param $lo f64) (param $scale f64) (param $lut i32) (param $out i32)
    (local $i i32) (local $end i32) (local $v v128) (local $t0 v128) (local $t1 v128) (local $k v128)
    (local $lov v128) (local $sv v128) (local $at i32) (local $o i32)
    (local.set $end (i32.shl (i32.sub (local.get $n) (i32.and (local.get $n) (i32.const 3))) (i32.const 2)))
    (local.set $lov (f64x2.splat (local.get $lo)))
    (local.set $sv (f64x2.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $at (i32.add (local.get $x) (local.get $i)))
        (local.set $o (i32.add (local.get $out) (local.get $i)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $t0 (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $lov)) (local.get $sv)))
        (local.set $t1 (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $lov)) (local.get $sv)))
        ;; all four in [0, 255] (NaN fails both comparisons)
        (if (i64x2.all_true (v128.and
              (v128.and (f64x2.ge (local.get $t0) (f64x2.splat (f64.const 0))) (f64x2.le (local.get $t0) (f64x2.splat (f64.const 255))))
              (v128.and (f64x2.ge (local.get $t1) (f64x2.splat (f64.const 0))) (f64x2.le (local.get $t1) (f64x2.splat (f64.const 255))))))
          (then
            ;; byte offsets into the lut: trunc(t + 0.5) · 4, lanes 0 1 from t0, 2 3 from t1
            (local.set $k (i32x4.shl (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (i32x4.trunc_sat_f64x2_s_zero (f64x2.add (local.get $t0) (f64x2.splat (f64.const 0.5))))
              (i32x4.trunc_sat_f64x2_s_zero (f64x2.add (local.get $t1) (f64x2.splat (f64.const 0.5))))) (i32.const 2)))
            (i32.store (local.get $o) (i32.load (i32.add (local.get $lut) (i32x4.extract_lane 0 (local.get $k)))))
            (i32.store offset=4 (local.get $o) (i32.load (i32.add (local.get $lut) (i32x4.extract_lane 1 (local.get $k)))))
            (i32.store offset=8 (local.get $o) (i32.load (i32.add (local.get $lut) (i32x4.extract_lane 2 (local.get $k)))))
            (i32.store offset=12 (local.get $o) (i32.load (i32.add (local.get $lut) (i32x4.extract_lane 3 (local.get $k))))))
          (else
            (i32.store (local.get $o) (call $colour (f64.promote_f32 (f32.load (local.get $at))) (local.get $lo) (local.get $scale) (local.get $lut)))
            (i32.store offset=4 (local.get $o) (call $colour (f64.promote_f32 (f32.load offset=4 (local.get $at))) (local.get $lo) (local.get $scale) (local.get $lut)))
            (i32.store offset=8 (local.get $o) (call $colour (f64.promote_f32 (f32.load offset=8 (local.get $at))) (local.get $lo) (local.get $scale) (local.get $lut)))
            (i32.store offset=12 (local.get $o) (call $colour (f64.promote_f32 (f32.load offset=12 (local.get $at))) (local.get $lo) (local.get $scale) (local.get $lut)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    ;; the last n mod 4
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $i) (local.get $end)))
        (i32.store (i32.add (local.get $out) (local.get $i))
          (call $colour (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))) (local.get $lo) (local.get $scale) (local.get $lut)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $one))))
)
