;; Fused kernels for the training step, in WebAssembly SIMD (compiled to kernels.wasm by
;; `npm run build:kernels`). Every matrix is float32, row-major [rows, cols]; pointers are
;; byte offsets into the imported memory (the wasm backend's heap, or a memory of our own for
;; the cpu backend). Loops run row by row, four columns per v128, so per-column state
;; (accumulators, steps, clips) is contiguous. The vector loops are written out in full: V8
;; (Node 20) does not inline wasm calls, and a call per v128 made them 4x slower. The last
;; cols % 4 columns of a row go through the same helpers on splatted scalars (lane 0).
;; Arithmetic is tfjs's float32: div, nearest (round half to even), floor, mul, min, max. Sums
;; accumulate in float32 in row order.
(module
  (import "env" "memory" (memory 1))

  ;; ---- helpers for the column tails ----
  (func $at (param $base i32) (param $index i32) (result i32)
    (i32.add (local.get $base) (i32.shl (local.get $index) (i32.const 2))))
  ;; $get, $put and $add compute their address inline (not through $at): each call costs more
  ;; than the element's arithmetic, and a narrow kernel (the output layer, 512 x 7) is mostly
  ;; tail, which the mid-rise fit passes go over many times.
  (func $get (param $base i32) (param $index i32) (result v128)
    (f32x4.splat (f32.load (i32.add (local.get $base) (i32.shl (local.get $index) (i32.const 2))))))
  (func $put (param $base i32) (param $index i32) (param $v v128)
    (f32.store (i32.add (local.get $base) (i32.shl (local.get $index) (i32.const 2))) (f32x4.extract_lane 0 (local.get $v))))
  (func $add (param $base i32) (param $index i32) (param $v v128)
    (local $p i32)
    (local.set $p (i32.add (local.get $base) (i32.shl (local.get $index) (i32.const 2))))
    (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32x4.extract_lane 0 (local.get $v)))))

  ;; out [cols, rows] = x [rows, cols] transposed: 4 x 4 blocks through registers (eight
  ;; shuffles each), in 16 x 16 tiles so that each cache line written is filled before it
  ;; is evicted; the rows and columns left over go one element at a time.
  (func (export "transpose") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $i0 i32) (local $j0 i32) (local $i1 i32) (local $j1 i32)
    (local $rows4 i32) (local $cols4 i32) (local $src i32) (local $dst i32)
    (local $rowBytes i32) (local $outRowBytes i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (block $done_ti (loop $tiles_i
      (br_if $done_ti (i32.ge_u (local.get $i0) (local.get $rows4)))
      (local.set $i1 (select (i32.add (local.get $i0) (i32.const 16)) (local.get $rows4)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 16)) (local.get $rows4))))
      (local.set $j0 (i32.const 0))
      (block $done_tj (loop $tiles_j
        (br_if $done_tj (i32.ge_u (local.get $j0) (local.get $cols4)))
        (local.set $j1 (select (i32.add (local.get $j0) (i32.const 16)) (local.get $cols4)
          (i32.lt_u (i32.add (local.get $j0) (i32.const 16)) (local.get $cols4))))
        (local.set $i (local.get $i0))
        (block $done (loop $bands
          (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
          (local.set $j (local.get $j0))
          (block $done_b (loop $blocks
            (br_if $done_b (i32.ge_u (local.get $j) (local.get $j1)))
            ;; rows i..i+3, columns j..j+3
            (local.set $src (call $at (local.get $x) (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j))))
            (local.set $r0 (v128.load (local.get $src)))
            (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $rowBytes))))
            (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $rowBytes) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            ;; interleave pairs of rows, then pairs of pairs: lane k of output row c is input row k, column c
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $dst (call $at (local.get $out) (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i))))
            (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $dst) (local.get $outRowBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $dst) (i32.shl (local.get $outRowBytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $dst) (i32.mul (local.get $outRowBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $blocks)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $bands)))
        (local.set $j0 (local.get $j1))
        (br $tiles_j)))
      (local.set $i0 (local.get $i1))
      (br $tiles_i)))
    (call $transpose_elements (local.get $x) (local.get $out) (local.get $rows) (local.get $cols) (i32.const 0) (local.get $rows4) (local.get $cols4))
    (call $transpose_elements (local.get $x) (local.get $out) (local.get $rows) (local.get $cols) (local.get $rows4) (local.get $rows) (i32.const 0)))

  ;; The part of a transpose with rows [i0, i1) and columns [j0, cols), element by element.
  (func $transpose_elements (param $x i32) (param $out i32) (param $rows i32) (param $cols i32) (param $i0 i32) (param $i1 i32) (param $j0 i32)
    (local $i i32) (local $j i32)
    (local.set $i (local.get $i0))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $j (local.get $j0))
      (block $done_j (loop $cols_loop
        (br_if $done_j (i32.ge_u (local.get $j) (local.get $cols)))
        (i32.store (call $at (local.get $out) (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)))
          (i32.load (call $at (local.get $x) (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

    ;; out[j] += sum_i g[i, j], g = dy, or with relu = 1, g = dy where y > 0 (else 0), also written to dz.
  (func $relu_mask (param $dy v128) (param $y v128) (param $relu i32) (result v128)
    (select (v128.and (local.get $dy) (f32x4.gt (local.get $y) (v128.const f32x4 0 0 0 0))) (local.get $dy) (local.get $relu)))

  (func (export "bias_grad") (param $dy i32) (param $y i32) (param $dz i32) (param $rows i32) (param $cols i32) (param $out i32) (param $relu i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $v v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))))
        (if (local.get $relu) (then
          (local.set $v (v128.and (local.get $v)
            (f32x4.gt (v128.load (i32.add (local.get $y) (i32.add (local.get $r) (local.get $c)))) (v128.const f32x4 0 0 0 0))))
          (v128.store (i32.add (local.get $dz) (i32.add (local.get $r) (local.get $c))) (local.get $v))))
        (local.set $p (i32.add (local.get $out) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $v)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $v (call $relu_mask
          (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j)))
          (call $get (local.get $y) (i32.add (local.get $r) (local.get $j))) (local.get $relu)))
        (if (local.get $relu) (then (call $put (local.get $dz) (i32.add (local.get $r) (local.get $j)) (local.get $v))))
        (call $add (local.get $out) (local.get $j) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; Per column: sum[j] += |w|, max[j] = max(max[j], |w|), squares[j] += w * w.
  (func (export "column_stats") (param $w i32) (param $rows i32) (param $cols i32) (param $sum i32) (param $max i32) (param $squares i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $v v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.add (local.get $w) (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2))))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $v (f32x4.abs (v128.load (i32.add (local.get $r) (local.get $c)))))
        (local.set $p (i32.add (local.get $sum) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $v)))
        (local.set $p (i32.add (local.get $max) (local.get $c)))
        (v128.store (local.get $p) (f32x4.max (v128.load (local.get $p)) (local.get $v)))
        (local.set $p (i32.add (local.get $squares) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $v (f32x4.abs (call $get (local.get $r) (local.get $j))))
        (call $add (local.get $sum) (local.get $j) (local.get $v))
        (call $put (local.get $max) (local.get $j) (f32x4.max (call $get (local.get $max) (local.get $j)) (local.get $v)))
        (call $add (local.get $squares) (local.get $j) (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; A mid-rise code: the odd integer 2k + 1, k = clamp(floor(w / step), lo, hi), lo = -2^(b-1), hi = 2^(b-1) - 1.
  ;; The clamp is pmax/pmin, one instruction each where V8 spends several on min/max's NaN and -0
  ;; rules; between finite bounds it equals tfjs's clip for every input, NaN and -0 included.
  (func $mid_rise_code (param $w v128) (param $step v128) (param $lo v128) (param $hi v128) (result v128)
    (local $k v128)
    (local.set $k (f32x4.pmin (f32x4.pmax (f32x4.floor (f32x4.div (local.get $w) (local.get $step))) (local.get $lo)) (local.get $hi)))
    (f32x4.add (f32x4.add (local.get $k) (local.get $k)) (v128.const f32x4 1 1 1 1)))

  ;; Per column, with c the mid-rise code of w at the column's step and bounds: num[j] += x * c and
  ;; den[j] += c * c. With x = w it is one least-squares pass of the step fit (h = num / den); with
  ;; x = dy, num is the candidate product sum_i dy * c (den unused).
  (func (export "mid_rise_sums") (param $w i32) (param $x i32) (param $rows i32) (param $cols i32)
      (param $step i32) (param $lo i32) (param $hi i32) (param $num i32) (param $den i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $k v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        ;; $mid_rise_code, written out
        (local.set $k (f32x4.pmin
          (f32x4.pmax
            (f32x4.floor (f32x4.div
              (v128.load (i32.add (local.get $w) (i32.add (local.get $r) (local.get $c))))
              (v128.load (i32.add (local.get $step) (local.get $c)))))
            (v128.load (i32.add (local.get $lo) (local.get $c))))
          (v128.load (i32.add (local.get $hi) (local.get $c)))))
        (local.set $k (f32x4.add (f32x4.add (local.get $k) (local.get $k)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (i32.add (local.get $num) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
          (f32x4.mul (v128.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $c)))) (local.get $k))))
        (local.set $p (i32.add (local.get $den) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (local.get $k) (local.get $k))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $k (call $mid_rise_code (call $get (local.get $w) (i32.add (local.get $r) (local.get $j)))
          (call $get (local.get $step) (local.get $j)) (call $get (local.get $lo) (local.get $j)) (call $get (local.get $hi) (local.get $j))))
        (call $add (local.get $num) (local.get $j) (f32x4.mul (call $get (local.get $x) (i32.add (local.get $r) (local.get $j))) (local.get $k)))
        (call $add (local.get $den) (local.get $j) (f32x4.mul (local.get $k) (local.get $k)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; The integer code of a weight under its column's quantizer, q = scale * code:
  ;; symmetric (sym lanes all ones): nearest(w / step); mid-rise (mid lanes): $mid_rise_code, which
  ;; at 1 bit and step 1 is sign(w) (+1 at 0) exactly; ternary (neither): sign(w) where |w| > thr, else 0.
  (func $weight_code (param $w v128) (param $step v128) (param $thr v128) (param $sym v128) (param $mid v128)
      (param $lo v128) (param $hi v128) (result v128)
    (v128.bitselect
      (f32x4.nearest (f32x4.div (local.get $w) (local.get $step)))
      (v128.bitselect
        (call $mid_rise_code (local.get $w) (local.get $step) (local.get $lo) (local.get $hi))
        (f32x4.sub
          (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $w) (local.get $thr)))
          (v128.and (v128.const f32x4 1 1 1 1) (f32x4.lt (local.get $w) (f32x4.neg (local.get $thr)))))
        (local.get $mid))
      (local.get $sym)))

  ;; One pass over a kernel with each column's quantizer (params are [cols] arrays).
  ;; products = 0: out[i, j] = scale[j] * code(w[i, j]); products = 1: acc[j] += dy[i, j] * code(w[i, j]).
  (func (export "weight_pass") (param $w i32) (param $dy i32) (param $out i32) (param $rows i32) (param $cols i32)
      (param $scale i32) (param $step i32) (param $thr i32) (param $sym i32) (param $mid i32) (param $lo i32) (param $hi i32)
      (param $acc i32) (param $products i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $x v128) (local $q v128) (local $k v128) (local $code v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $w) (i32.add (local.get $r) (local.get $c)))))
        ;; $weight_code, written out (see the note at the top), with one division for the symmetric and mid-rise lanes
        (local.set $q (f32x4.div (local.get $x) (v128.load (i32.add (local.get $step) (local.get $c)))))
        (local.set $k (f32x4.pmin
          (f32x4.pmax (f32x4.floor (local.get $q)) (v128.load (i32.add (local.get $lo) (local.get $c))))
          (v128.load (i32.add (local.get $hi) (local.get $c)))))
        (local.set $code (v128.bitselect
          (f32x4.nearest (local.get $q))
          (v128.bitselect
            (f32x4.add (f32x4.add (local.get $k) (local.get $k)) (v128.const f32x4 1 1 1 1))
            (f32x4.sub
              (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $x) (v128.load (i32.add (local.get $thr) (local.get $c)))))
              (v128.and (v128.const f32x4 1 1 1 1) (f32x4.lt (local.get $x) (f32x4.neg (v128.load (i32.add (local.get $thr) (local.get $c)))))))
            (v128.load (i32.add (local.get $mid) (local.get $c))))
          (v128.load (i32.add (local.get $sym) (local.get $c)))))
        (if (local.get $products)
          (then
            (local.set $p (i32.add (local.get $acc) (local.get $c)))
            (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
              (f32x4.mul (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))) (local.get $code)))))
          (else
            (v128.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $c)))
              (f32x4.mul (v128.load (i32.add (local.get $scale) (local.get $c))) (local.get $code)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $code (call $weight_code (call $get (local.get $w) (i32.add (local.get $r) (local.get $j)))
          (call $get (local.get $step) (local.get $j)) (call $get (local.get $thr) (local.get $j))
          (call $get (local.get $sym) (local.get $j)) (call $get (local.get $mid) (local.get $j))
          (call $get (local.get $lo) (local.get $j)) (call $get (local.get $hi) (local.get $j))))
        (if (local.get $products)
          (then (call $add (local.get $acc) (local.get $j)
            (f32x4.mul (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j))) (local.get $code))))
          (else (call $put (local.get $out) (i32.add (local.get $r) (local.get $j))
            (f32x4.mul (call $get (local.get $scale) (local.get $j)) (local.get $code)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; The integer code of an activation: nearest(min(relu(a), alpha) / step).
  (func $activation_code (param $a v128) (param $alpha v128) (param $step v128) (result v128)
    (f32x4.nearest (f32x4.div
      (f32x4.min (f32x4.max (local.get $a) (v128.const f32x4 0 0 0 0)) (local.get $alpha))
      (local.get $step))))

  ;; One pass over activations with each column's clip and step.
  ;; products = 0: out[i, j] = step[j] * code(a[i, j]); products = 1: acc[j] += dy[i, j] * code(a[i, j]).
  (func (export "activation_pass") (param $a i32) (param $dy i32) (param $out i32) (param $rows i32) (param $cols i32)
      (param $alpha i32) (param $step i32) (param $acc i32) (param $products i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $code v128) (local $st v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $st (v128.load (i32.add (local.get $step) (local.get $c))))
        ;; $activation_code, written out
        (local.set $code (f32x4.nearest (f32x4.div
          (f32x4.min
            (f32x4.max (v128.load (i32.add (local.get $a) (i32.add (local.get $r) (local.get $c)))) (v128.const f32x4 0 0 0 0))
            (v128.load (i32.add (local.get $alpha) (local.get $c))))
          (local.get $st))))
        (if (local.get $products)
          (then
            (local.set $p (i32.add (local.get $acc) (local.get $c)))
            (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
              (f32x4.mul (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))) (local.get $code)))))
          (else
            (v128.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $c))) (f32x4.mul (local.get $code) (local.get $st)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $st (call $get (local.get $step) (local.get $j)))
        (local.set $code (call $activation_code (call $get (local.get $a) (i32.add (local.get $r) (local.get $j)))
          (call $get (local.get $alpha) (local.get $j)) (local.get $st)))
        (if (local.get $products)
          (then (call $add (local.get $acc) (local.get $j)
            (f32x4.mul (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j))) (local.get $code))))
          (else (call $put (local.get $out) (i32.add (local.get $r) (local.get $j)) (f32x4.mul (local.get $code) (local.get $st)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; da = dy where 0 <= a < alpha (else 0), and dalpha[j] += dy where a >= alpha (PACT).
  (func $inside (param $a v128) (param $above v128) (result v128)
    (v128.andnot (f32x4.ge (local.get $a) (v128.const f32x4 0 0 0 0)) (local.get $above)))

  (func (export "activation_grads") (param $a i32) (param $dy i32) (param $da i32) (param $rows i32) (param $cols i32) (param $alpha i32) (param $dalpha i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $x v128) (local $g v128) (local $above v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $a) (i32.add (local.get $r) (local.get $c)))))
        (local.set $g (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))))
        (local.set $above (f32x4.ge (local.get $x) (v128.load (i32.add (local.get $alpha) (local.get $c)))))
        (v128.store (i32.add (local.get $da) (i32.add (local.get $r) (local.get $c)))
          (v128.and (local.get $g) (v128.andnot (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0)) (local.get $above))))
        (local.set $p (i32.add (local.get $dalpha) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.and (local.get $g) (local.get $above))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $x (call $get (local.get $a) (i32.add (local.get $r) (local.get $j))))
        (local.set $g (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j))))
        (local.set $above (f32x4.ge (local.get $x) (call $get (local.get $alpha) (local.get $j))))
        (call $put (local.get $da) (i32.add (local.get $r) (local.get $j)) (v128.and (local.get $g) (call $inside (local.get $x) (local.get $above))))
        (call $add (local.get $dalpha) (local.get $j) (v128.and (local.get $g) (local.get $above)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))
)
