;; Fused kernels for the training step, in WebAssembly SIMD (compiled to kernels.wasm by
;; `npm run build:kernels`). Every matrix is float32, row-major [rows, cols]; pointers are
;; byte offsets into the imported memory (the wasm backend's heap, or a memory of our own for
;; the cpu backend). Loops run row by row, four columns per v128, so per-column state
;; (accumulators, steps, clips) is contiguous. The vector loops are written out in full: V8
;; (Node 20) does not inline wasm calls, and a call per v128 made them 4x slower. The last
;; cols % 4 columns of a row go through the same helpers on splatted scalars (lane 0).
;; Arithmetic is tfjs's float32: div, nearest (round half to even), floor, mul, min, max. Sums
;; accumulate in float32 in row order. The attention, LayerNorm and weight-gradient kernels (at
;; the end) sum in other orders than tfjs's ops, and softmax has an exp of its own: they equal
;; tfjs's results up to float rounding.
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

  ;; A signed site by sign and magnitude: g = sign(a) (+1 at 0) and |a| = g a. Multiplying by g
  ;; is flipping the sign bit where a < 0, exactly; `signs` is the sign bit in every lane for a
  ;; signed site, 0 for an unsigned one (nothing flips, |a| stays a).
  (func $flips (param $a v128) (param $signs v128) (result v128)
    (v128.andnot (local.get $signs) (f32x4.ge (local.get $a) (v128.const f32x4 0 0 0 0))))

  ;; One pass over activations with each column's clip and step; signed = 1: the magnitudes, with
  ;; their signs put back (g U(|a|)), and dy g in the products.
  ;; products = 0: out[i, j] = step[j] * code(a[i, j]); products = 1: acc[j] += dy[i, j] * code(a[i, j]).
  (func (export "activation_pass") (param $a i32) (param $dy i32) (param $out i32) (param $rows i32) (param $cols i32)
      (param $alpha i32) (param $step i32) (param $acc i32) (param $products i32) (param $signed i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $code v128) (local $st v128) (local $p i32)
    (local $x v128) (local $flip v128) (local $signs v128)
    (local.set $signs (v128.and (i32x4.splat (i32.sub (i32.const 0) (local.get $signed))) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $st (v128.load (i32.add (local.get $step) (local.get $c))))
        (local.set $x (v128.load (i32.add (local.get $a) (i32.add (local.get $r) (local.get $c)))))
        ;; $flips and $activation_code, written out
        (local.set $flip (v128.andnot (local.get $signs) (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0))))
        (local.set $code (f32x4.nearest (f32x4.div
          (f32x4.min
            (f32x4.max (v128.xor (local.get $x) (local.get $flip)) (v128.const f32x4 0 0 0 0))
            (v128.load (i32.add (local.get $alpha) (local.get $c))))
          (local.get $st))))
        (if (local.get $products)
          (then
            (local.set $p (i32.add (local.get $acc) (local.get $c)))
            (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
              (f32x4.mul (v128.xor (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))) (local.get $flip)) (local.get $code)))))
          (else
            (v128.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $c)))
              (v128.xor (f32x4.mul (local.get $code) (local.get $st)) (local.get $flip)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $st (call $get (local.get $step) (local.get $j)))
        (local.set $x (call $get (local.get $a) (i32.add (local.get $r) (local.get $j))))
        (local.set $flip (call $flips (local.get $x) (local.get $signs)))
        (local.set $code (call $activation_code (v128.xor (local.get $x) (local.get $flip)) (call $get (local.get $alpha) (local.get $j)) (local.get $st)))
        (if (local.get $products)
          (then (call $add (local.get $acc) (local.get $j)
            (f32x4.mul (v128.xor (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j))) (local.get $flip)) (local.get $code))))
          (else (call $put (local.get $out) (i32.add (local.get $r) (local.get $j)) (v128.xor (f32x4.mul (local.get $code) (local.get $st)) (local.get $flip)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; da = dy where 0 <= a < alpha (else 0), and dalpha[j] += dy where a >= alpha (PACT); signed = 1:
  ;; the same for |a|, with dy g to the clip (da = g (dy g) = dy inside the clip).
  (func $inside (param $a v128) (param $above v128) (result v128)
    (v128.andnot (f32x4.ge (local.get $a) (v128.const f32x4 0 0 0 0)) (local.get $above)))

  (func (export "activation_grads") (param $a i32) (param $dy i32) (param $da i32) (param $rows i32) (param $cols i32) (param $alpha i32) (param $dalpha i32)
      (param $signed i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $r i32) (local $x v128) (local $g v128) (local $above v128) (local $p i32)
    (local $flip v128) (local $signs v128)
    (local.set $signs (v128.and (i32x4.splat (i32.sub (i32.const 0) (local.get $signed))) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $r (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2)))
      (local.set $c (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $a) (i32.add (local.get $r) (local.get $c)))))
        (local.set $flip (v128.andnot (local.get $signs) (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0))))
        (local.set $x (v128.xor (local.get $x) (local.get $flip)))
        (local.set $g (v128.load (i32.add (local.get $dy) (i32.add (local.get $r) (local.get $c)))))
        (local.set $above (f32x4.ge (local.get $x) (v128.load (i32.add (local.get $alpha) (local.get $c)))))
        (v128.store (i32.add (local.get $da) (i32.add (local.get $r) (local.get $c)))
          (v128.and (local.get $g) (v128.andnot (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0)) (local.get $above))))
        (local.set $p (i32.add (local.get $dalpha) (local.get $c)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.and (v128.xor (local.get $g) (local.get $flip)) (local.get $above))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vec)))
      (local.set $j (i32.shr_u (local.get $c) (i32.const 2)))
      (local.set $r (i32.mul (local.get $i) (local.get $cols)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $x (call $get (local.get $a) (i32.add (local.get $r) (local.get $j))))
        (local.set $flip (call $flips (local.get $x) (local.get $signs)))
        (local.set $x (v128.xor (local.get $x) (local.get $flip)))
        (local.set $g (call $get (local.get $dy) (i32.add (local.get $r) (local.get $j))))
        (local.set $above (f32x4.ge (local.get $x) (call $get (local.get $alpha) (local.get $j))))
        (call $put (local.get $da) (i32.add (local.get $r) (local.get $j)) (v128.and (local.get $g) (call $inside (local.get $x) (local.get $above))))
        (call $add (local.get $dalpha) (local.get $j) (v128.and (v128.xor (local.get $g) (local.get $flip)) (local.get $above)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; ---- multi-head attention ----
  ;; q, k, v and the output are rows [samples * tokens, d], sample-major; head h is the columns
  ;; [h dh, (h + 1) dh) of each row. One (sample, head) at a time: the operands a product runs
  ;; along (K^T, V; V^T, K, Q, dO in the backward pass) are copied into small zero-padded arrays
  ;; that stay in L1, rows of tp = tokens or dhp = dh rounded up to 4 floats, so the products
  ;; have no column tails. P, kept for the backward pass, is [samples * heads, tokens, tp] with
  ;; zeros in its padding columns.

  ;; c[i, :] (+)= sum_l a(i, l) x[l, :] for i < m, l < kk, with a(i, l) the float at a + i ar + l ac
  ;; (byte strides: a may be a head's columns, or a block read transposed), x [kk, cols] and
  ;; c [m, cols] with rows `stride` bytes apart; add = 1 adds to c. Two rows of c at a time, so
  ;; that each vector of x serves both (a last odd row is worked on as both rows: the same sums,
  ;; stored twice), and sixteen columns at a time in four accumulators per row, so that each
  ;; a(i, l) splat serves four vectors; then four columns, then the cols % 4 left one by one.
  (func $product (param $a i32) (param $ar i32) (param $ac i32) (param $x i32) (param $kk i32) (param $cols i32) (param $stride i32)
      (param $c i32) (param $m i32) (param $add i32)
    (local $i i32) (local $n i32) (local $l i32) (local $ap i32) (local $bp i32) (local $xp i32) (local $b i32) (local $d i32)
    (local $rowBytes i32) (local $wide i32) (local $vec i32) (local $keep v128)
    (local $s v128) (local $u v128) (local $v v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $t f32) (local $w f32)
    ;; $rowBytes: the bytes the columns of a row take ($stride: between rows)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $wide (i32.and (local.get $rowBytes) (i32.const -64)))
    (local.set $vec (i32.and (local.get $rowBytes) (i32.const -16)))
    ;; all ones where c is added to: anded with c, its start, else 0
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (local.get $add))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
      ;; the second row: i + 1, or row i again
      (local.set $b (select (i32.add (local.get $a) (local.get $ar)) (local.get $a) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))))
      (local.set $d (select (i32.add (local.get $c) (local.get $stride)) (local.get $c) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))))
      (local.set $n (i32.const 0))
      (block $done16 (loop $sixteen
        (br_if $done16 (i32.ge_u (local.get $n) (local.get $wide)))
        (local.set $xp (i32.add (local.get $c) (local.get $n)))
        (local.set $c0 (v128.and (v128.load (local.get $xp)) (local.get $keep)))
        (local.set $c1 (v128.and (v128.load offset=16 (local.get $xp)) (local.get $keep)))
        (local.set $c2 (v128.and (v128.load offset=32 (local.get $xp)) (local.get $keep)))
        (local.set $c3 (v128.and (v128.load offset=48 (local.get $xp)) (local.get $keep)))
        (local.set $xp (i32.add (local.get $d) (local.get $n)))
        (local.set $d0 (v128.and (v128.load (local.get $xp)) (local.get $keep)))
        (local.set $d1 (v128.and (v128.load offset=16 (local.get $xp)) (local.get $keep)))
        (local.set $d2 (v128.and (v128.load offset=32 (local.get $xp)) (local.get $keep)))
        (local.set $d3 (v128.and (v128.load offset=48 (local.get $xp)) (local.get $keep)))
        (local.set $ap (local.get $a))
        (local.set $bp (local.get $b))
        (local.set $xp (i32.add (local.get $x) (local.get $n)))
        (local.set $l (local.get $kk))
        (block $done_l (loop $terms
          (br_if $done_l (i32.eqz (local.get $l)))
          (local.set $s (v128.load32_splat (local.get $ap)))
          (local.set $u (v128.load32_splat (local.get $bp)))
          (local.set $v (v128.load (local.get $xp)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $v))))
          (local.set $d0 (f32x4.add (local.get $d0) (f32x4.mul (local.get $u) (local.get $v))))
          (local.set $v (v128.load offset=16 (local.get $xp)))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (local.get $v))))
          (local.set $d1 (f32x4.add (local.get $d1) (f32x4.mul (local.get $u) (local.get $v))))
          (local.set $v (v128.load offset=32 (local.get $xp)))
          (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (local.get $v))))
          (local.set $d2 (f32x4.add (local.get $d2) (f32x4.mul (local.get $u) (local.get $v))))
          (local.set $v (v128.load offset=48 (local.get $xp)))
          (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (local.get $v))))
          (local.set $d3 (f32x4.add (local.get $d3) (f32x4.mul (local.get $u) (local.get $v))))
          (local.set $ap (i32.add (local.get $ap) (local.get $ac)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ac)))
          (local.set $xp (i32.add (local.get $xp) (local.get $stride)))
          (local.set $l (i32.sub (local.get $l) (i32.const 1)))
          (br $terms)))
        (local.set $xp (i32.add (local.get $c) (local.get $n)))
        (v128.store (local.get $xp) (local.get $c0))
        (v128.store offset=16 (local.get $xp) (local.get $c1))
        (v128.store offset=32 (local.get $xp) (local.get $c2))
        (v128.store offset=48 (local.get $xp) (local.get $c3))
        (local.set $xp (i32.add (local.get $d) (local.get $n)))
        (v128.store (local.get $xp) (local.get $d0))
        (v128.store offset=16 (local.get $xp) (local.get $d1))
        (v128.store offset=32 (local.get $xp) (local.get $d2))
        (v128.store offset=48 (local.get $xp) (local.get $d3))
        (local.set $n (i32.add (local.get $n) (i32.const 64)))
        (br $sixteen)))
      (block $done4 (loop $four
        (br_if $done4 (i32.ge_u (local.get $n) (local.get $vec)))
        (local.set $c0 (v128.and (v128.load (i32.add (local.get $c) (local.get $n))) (local.get $keep)))
        (local.set $d0 (v128.and (v128.load (i32.add (local.get $d) (local.get $n))) (local.get $keep)))
        (local.set $ap (local.get $a))
        (local.set $bp (local.get $b))
        (local.set $xp (i32.add (local.get $x) (local.get $n)))
        (local.set $l (local.get $kk))
        (block $done_l4 (loop $terms4
          (br_if $done_l4 (i32.eqz (local.get $l)))
          (local.set $v (v128.load (local.get $xp)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (local.get $ap)) (local.get $v))))
          (local.set $d0 (f32x4.add (local.get $d0) (f32x4.mul (v128.load32_splat (local.get $bp)) (local.get $v))))
          (local.set $ap (i32.add (local.get $ap) (local.get $ac)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ac)))
          (local.set $xp (i32.add (local.get $xp) (local.get $stride)))
          (local.set $l (i32.sub (local.get $l) (i32.const 1)))
          (br $terms4)))
        (v128.store (i32.add (local.get $c) (local.get $n)) (local.get $c0))
        (v128.store (i32.add (local.get $d) (local.get $n)) (local.get $d0))
        (local.set $n (i32.add (local.get $n) (i32.const 16)))
        (br $four)))
      (block $done1 (loop $one
        (br_if $done1 (i32.ge_u (local.get $n) (local.get $rowBytes)))
        (local.set $t (select (f32.load (i32.add (local.get $c) (local.get $n))) (f32.const 0) (local.get $add)))
        (local.set $w (select (f32.load (i32.add (local.get $d) (local.get $n))) (f32.const 0) (local.get $add)))
        (local.set $ap (local.get $a))
        (local.set $bp (local.get $b))
        (local.set $xp (i32.add (local.get $x) (local.get $n)))
        (local.set $l (local.get $kk))
        (block $done_l1 (loop $terms1
          (br_if $done_l1 (i32.eqz (local.get $l)))
          (local.set $t (f32.add (local.get $t) (f32.mul (f32.load (local.get $ap)) (f32.load (local.get $xp)))))
          (local.set $w (f32.add (local.get $w) (f32.mul (f32.load (local.get $bp)) (f32.load (local.get $xp)))))
          (local.set $ap (i32.add (local.get $ap) (local.get $ac)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ac)))
          (local.set $xp (i32.add (local.get $xp) (local.get $stride)))
          (local.set $l (i32.sub (local.get $l) (i32.const 1)))
          (br $terms1)))
        (f32.store (i32.add (local.get $c) (local.get $n)) (local.get $t))
        (f32.store (i32.add (local.get $d) (local.get $n)) (local.get $w))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $one)))
      (local.set $a (i32.add (local.get $b) (local.get $ar)))
      (local.set $c (i32.add (local.get $d) (local.get $stride)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $rows))))

  ;; Row i of dst = the first `bytes` of row i of src, then zeros up to `padded` bytes (row strides in bytes).
  (func $copy_rows (param $src i32) (param $srcRow i32) (param $dst i32) (param $dstRow i32) (param $rows i32) (param $bytes i32) (param $padded i32)
    (local $i i32) (local $j i32) (local $vec i32)
    (local.set $vec (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $done_v (loop $vectors
        (br_if $done_v (i32.ge_u (local.get $j) (local.get $vec)))
        (v128.store (i32.add (local.get $dst) (local.get $j)) (v128.load (i32.add (local.get $src) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vectors)))
      (block $done_s (loop $floats
        (br_if $done_s (i32.ge_u (local.get $j) (local.get $bytes)))
        (i32.store (i32.add (local.get $dst) (local.get $j)) (i32.load (i32.add (local.get $src) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $floats)))
      (block $done_z (loop $zeros
        (br_if $done_z (i32.ge_u (local.get $j) (local.get $padded)))
        (i32.store (i32.add (local.get $dst) (local.get $j)) (i32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $zeros)))
      (local.set $src (i32.add (local.get $src) (local.get $srcRow)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstRow)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; dst [cols, padded] (packed) = scale times src [rows, cols] transposed (src rows `srcRow` bytes
  ;; apart), zeros in columns >= rows. The scale of the scores is applied here: dh t floats, not t^2.
  (func $copy_transposed (param $src i32) (param $srcRow i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $padded i32) (param $scale f32)
    (local $c i32) (local $i i32) (local $from i32)
    (block $done (loop $cols_loop
      (br_if $done (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $from (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $done_i (loop $rows_loop
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $rows)))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))) (f32.mul (f32.load (local.get $from)) (local.get $scale)))
        (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows_loop)))
      (block $done_z (loop $zeros
        (br_if $done_z (i32.ge_u (local.get $i) (local.get $padded)))
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $zeros)))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $padded) (i32.const 2))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cols_loop))))

  (func $lanes_sum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func $lanes_max (param $v v128) (result f32)
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Each row of p [rows, np], of which the first n columns are scores: p = softmax(scores), with
  ;; the row's max subtracted, and 0 in the padding. exp is Cephes' expf, written out: x = k ln2 + r
  ;; with |r| <= ln2 / 2 (ln2 in two parts), e^r by a polynomial, 2^k put in the exponent bits. k
  ;; is rounded by adding 1.5 * 2^23, which leaves k in the low mantissa bits (no float-to-int
  ;; conversion, which V8 spends several instructions on). Below -87.3 (e^-87.3 is about 2^-126, the
  ;; smallest normal float) the result is 0, as for the padding at -inf: a term that small is
  ;; below the resolution of a row sum, which is at least 1, and normalizing it would make a
  ;; subnormal float, which x86 multiplies about 100 times slower.
  (func $softmax_rows (param $p i32) (param $rows i32) (param $n i32) (param $np i32)
    (local $i i32) (local $j i32) (local $end i32) (local $at i32) (local $x v128) (local $m v128) (local $sum v128)
    (local $t v128) (local $k v128) (local $r v128) (local $y v128)
    (local.set $end (i32.shl (local.get $np) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      ;; padding at -inf: it takes no part in the max
      (local.set $j (i32.shl (local.get $n) (i32.const 2)))
      (block $done_pad (loop $pad
        (br_if $done_pad (i32.ge_u (local.get $j) (local.get $end)))
        (f32.store (i32.add (local.get $p) (local.get $j)) (f32.const -inf))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $pad)))
      (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $j (i32.const 0))
      (block $done_max (loop $scores
        (br_if $done_max (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $m (f32x4.pmax (local.get $m) (v128.load (i32.add (local.get $p) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $scores)))
      (local.set $m (f32x4.splat (call $lanes_max (local.get $m))))
      (local.set $sum (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $done_exp (loop $exps
        (br_if $done_exp (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $at (i32.add (local.get $p) (local.get $j)))
        (local.set $x (f32x4.sub (v128.load (local.get $at)) (local.get $m)))
        (local.set $t (f32x4.add
          (f32x4.mul (f32x4.pmax (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
          (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k (f32x4.sub (local.get $t) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $r (f32x4.sub
          (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
          (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
        (local.set $y (f32x4.add (f32x4.mul (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4) (local.get $r))
          (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
        (local.set $y (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $y) (local.get $r)) (local.get $r)) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        ;; 2^k: (k + 127) << 23, with k the low bits of t, whose bits are those of 1.5 * 2^23 = 0x4b400000 plus k
        (local.set $y (v128.and
          (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (local.get $t) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377)) (i32.const 23)))
          (f32x4.gt (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))))
        (v128.store (local.get $at) (local.get $y))
        (local.set $sum (f32x4.add (local.get $sum) (local.get $y)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $exps)))
      (local.set $sum (f32x4.splat (f32.div (f32.const 1) (call $lanes_sum (local.get $sum)))))
      (local.set $j (i32.const 0))
      (block $done_norm (loop $norms
        (br_if $done_norm (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $at (i32.add (local.get $p) (local.get $j)))
        (v128.store (local.get $at) (f32x4.mul (v128.load (local.get $at)) (local.get $sum)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $norms)))
      (local.set $p (i32.add (local.get $p) (local.get $end)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; Through the softmax: ds = P (dP - rowsum(dP P)), row by row over [rows, np] (P's zero padding
  ;; gives zeros).
  (func $softmax_grad_rows (param $ds i32) (param $p i32) (param $rows i32) (param $np i32)
    (local $i i32) (local $j i32) (local $end i32) (local $acc v128) (local $at i32)
    (local.set $end (i32.shl (local.get $np) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $done_dot (loop $dot
        (br_if $done_dot (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $ds) (local.get $j))) (v128.load (i32.add (local.get $p) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $dot)))
      (local.set $acc (f32x4.splat (call $lanes_sum (local.get $acc))))
      (local.set $j (i32.const 0))
      (block $done_g (loop $grads
        (br_if $done_g (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $at (i32.add (local.get $ds) (local.get $j)))
        (v128.store (local.get $at)
          (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $j))) (f32x4.sub (v128.load (local.get $at)) (local.get $acc))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $grads)))
      (local.set $ds (i32.add (local.get $ds) (local.get $end)))
      (local.set $p (i32.add (local.get $p) (local.get $end)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; out = softmax(scale Q K^T) V per sample and head, and P. Work arrays: kt [dh, tp], vp [tokens, dhp], op [tokens, dhp].
  (func (export "attention_forward") (param $q i32) (param $k i32) (param $v i32) (param $out i32) (param $p i32)
      (param $samples i32) (param $tokens i32) (param $heads i32) (param $dh i32) (param $scale f32)
      (param $kt i32) (param $vp i32) (param $op i32)
    (local $s i32) (local $h i32) (local $row i32) (local $at i32) (local $tp i32) (local $dhp i32) (local $dhBytes i32) (local $dhpBytes i32)
    (local $tpBytes i32) (local $block i32)
    (local.set $row (i32.shl (i32.mul (local.get $heads) (local.get $dh)) (i32.const 2)))
    (local.set $tp (i32.and (i32.add (local.get $tokens) (i32.const 3)) (i32.const -4)))
    (local.set $dhp (i32.and (i32.add (local.get $dh) (i32.const 3)) (i32.const -4)))
    (local.set $dhBytes (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $dhpBytes (i32.shl (local.get $dhp) (i32.const 2)))
    (local.set $tpBytes (i32.shl (local.get $tp) (i32.const 2)))
    (local.set $block (i32.mul (local.get $tokens) (local.get $tpBytes)))
    (block $done (loop $samples_loop
      (br_if $done (i32.ge_u (local.get $s) (local.get $samples)))
      (local.set $h (i32.const 0))
      (block $done_h (loop $heads_loop
        (br_if $done_h (i32.ge_u (local.get $h) (local.get $heads)))
        (local.set $at (i32.add (i32.mul (i32.mul (local.get $s) (local.get $tokens)) (local.get $row)) (i32.mul (local.get $h) (local.get $dhBytes))))
        (call $copy_transposed (i32.add (local.get $k) (local.get $at)) (local.get $row) (local.get $kt) (local.get $tokens) (local.get $dh) (local.get $tp) (local.get $scale))
        (call $copy_rows (i32.add (local.get $v) (local.get $at)) (local.get $row) (local.get $vp) (local.get $dhpBytes) (local.get $tokens) (local.get $dhBytes) (local.get $dhpBytes))
        (call $product (i32.add (local.get $q) (local.get $at)) (local.get $row) (i32.const 4) (local.get $kt) (local.get $dh) (local.get $tp) (local.get $tpBytes) (local.get $p) (local.get $tokens) (i32.const 0))
        (call $softmax_rows (local.get $p) (local.get $tokens) (local.get $tokens) (local.get $tp))
        (call $product (local.get $p) (local.get $tpBytes) (i32.const 4) (local.get $vp) (local.get $tokens) (local.get $dhp) (local.get $dhpBytes) (local.get $op) (local.get $tokens) (i32.const 0))
        (call $copy_rows (local.get $op) (local.get $dhpBytes) (i32.add (local.get $out) (local.get $at)) (local.get $row) (local.get $tokens) (local.get $dhBytes) (local.get $dhBytes))
        (local.set $p (i32.add (local.get $p) (local.get $block)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $heads_loop)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $samples_loop))))

  ;; dq, dk, dv from dout and the forward pass's q, k, v and P, per sample and head:
  ;; dP = scale dO V^T, dS = P (dP - rowsum(dP P)), dQ = dS K, dK = dS^T Q, dV = P^T dO (the
  ;; gradients of the scaled scores are those of the unscaled ones times the scale).
  ;; Work arrays: xt [dh, tp], xp [tokens, dhp], ds [tokens, tp], cp [tokens, dhp].
  (func (export "attention_backward") (param $q i32) (param $k i32) (param $v i32) (param $p i32) (param $dout i32)
      (param $dq i32) (param $dk i32) (param $dv i32)
      (param $samples i32) (param $tokens i32) (param $heads i32) (param $dh i32) (param $scale f32)
      (param $xt i32) (param $xp i32) (param $ds i32) (param $cp i32)
    (local $s i32) (local $h i32) (local $row i32) (local $at i32) (local $tp i32) (local $dhp i32) (local $dhBytes i32) (local $dhpBytes i32)
    (local $tpBytes i32) (local $block i32)
    (local.set $row (i32.shl (i32.mul (local.get $heads) (local.get $dh)) (i32.const 2)))
    (local.set $tp (i32.and (i32.add (local.get $tokens) (i32.const 3)) (i32.const -4)))
    (local.set $dhp (i32.and (i32.add (local.get $dh) (i32.const 3)) (i32.const -4)))
    (local.set $dhBytes (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $dhpBytes (i32.shl (local.get $dhp) (i32.const 2)))
    (local.set $tpBytes (i32.shl (local.get $tp) (i32.const 2)))
    (local.set $block (i32.mul (local.get $tokens) (local.get $tpBytes)))
    (block $done (loop $samples_loop
      (br_if $done (i32.ge_u (local.get $s) (local.get $samples)))
      (local.set $h (i32.const 0))
      (block $done_h (loop $heads_loop
        (br_if $done_h (i32.ge_u (local.get $h) (local.get $heads)))
        (local.set $at (i32.add (i32.mul (i32.mul (local.get $s) (local.get $tokens)) (local.get $row)) (i32.mul (local.get $h) (local.get $dhBytes))))
        (call $copy_transposed (i32.add (local.get $v) (local.get $at)) (local.get $row) (local.get $xt) (local.get $tokens) (local.get $dh) (local.get $tp) (local.get $scale))
        (call $product (i32.add (local.get $dout) (local.get $at)) (local.get $row) (i32.const 4) (local.get $xt) (local.get $dh) (local.get $tp) (local.get $tpBytes) (local.get $ds) (local.get $tokens) (i32.const 0))
        (call $softmax_grad_rows (local.get $ds) (local.get $p) (local.get $tokens) (local.get $tp))
        (call $copy_rows (i32.add (local.get $k) (local.get $at)) (local.get $row) (local.get $xp) (local.get $dhpBytes) (local.get $tokens) (local.get $dhBytes) (local.get $dhpBytes))
        (call $product (local.get $ds) (local.get $tpBytes) (i32.const 4) (local.get $xp) (local.get $tokens) (local.get $dhp) (local.get $dhpBytes) (local.get $cp) (local.get $tokens) (i32.const 0))
        (call $copy_rows (local.get $cp) (local.get $dhpBytes) (i32.add (local.get $dq) (local.get $at)) (local.get $row) (local.get $tokens) (local.get $dhBytes) (local.get $dhBytes))
        (call $copy_rows (i32.add (local.get $q) (local.get $at)) (local.get $row) (local.get $xp) (local.get $dhpBytes) (local.get $tokens) (local.get $dhBytes) (local.get $dhpBytes))
        (call $product (local.get $ds) (i32.const 4) (local.get $tpBytes) (local.get $xp) (local.get $tokens) (local.get $dhp) (local.get $dhpBytes) (local.get $cp) (local.get $tokens) (i32.const 0))
        (call $copy_rows (local.get $cp) (local.get $dhpBytes) (i32.add (local.get $dk) (local.get $at)) (local.get $row) (local.get $tokens) (local.get $dhBytes) (local.get $dhBytes))
        (call $copy_rows (i32.add (local.get $dout) (local.get $at)) (local.get $row) (local.get $xp) (local.get $dhpBytes) (local.get $tokens) (local.get $dhBytes) (local.get $dhpBytes))
        (call $product (local.get $p) (i32.const 4) (local.get $tpBytes) (local.get $xp) (local.get $tokens) (local.get $dhp) (local.get $dhpBytes) (local.get $cp) (local.get $tokens) (i32.const 0))
        (call $copy_rows (local.get $cp) (local.get $dhpBytes) (i32.add (local.get $dv) (local.get $at)) (local.get $row) (local.get $tokens) (local.get $dhBytes) (local.get $dhBytes))
        (local.set $p (i32.add (local.get $p) (local.get $block)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $heads_loop)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $samples_loop))))

  ;; ---- LayerNorm over the columns of each row ----
  ;; Per row of x [rows, cols]: mean, sd = sqrt(mean((x - mean)^2) + eps) (two passes, as tfjs's
  ;; moments), then x^ = (x - mean) / sd. Four columns per v128; the cols % 4 columns left go one
  ;; float at a time.

  (func $row_sum (param $x i32) (param $cols i32) (result f32)
    (local $j i32) (local $end i32) (local $acc v128) (local $sum f32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vec)))
    (local.set $sum (call $lanes_sum (local.get $acc)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (block $done_t (loop $tail
      (br_if $done_t (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $x) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $tail)))
    (local.get $sum))

  (func $row_squares (param $x i32) (param $cols i32) (param $mean f32) (result f32)
    (local $j i32) (local $end i32) (local $acc v128) (local $m v128) (local $d v128) (local $sum f32) (local $e f32)
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $m (f32x4.splat (local.get $mean)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $d (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $m)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vec)))
    (local.set $sum (call $lanes_sum (local.get $acc)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (block $done_t (loop $tail
      (br_if $done_t (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $e (f32.sub (f32.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)))
      (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $e) (local.get $e))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $tail)))
    (local.get $sum))

  ;; y = x^ gamma + beta; mean[i] and sd[i] kept for the backward pass.
  (func (export "layer_norm") (param $x i32) (param $gamma i32) (param $beta i32) (param $y i32) (param $mean i32) (param $sd i32)
      (param $rows i32) (param $cols i32) (param $eps f32)
    (local $i i32) (local $j i32) (local $end i32) (local $vecEnd i32) (local $m f32) (local $s f32) (local $mv v128) (local $sv v128)
    (local.set $vecEnd (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $m (f32.div (call $row_sum (local.get $x) (local.get $cols)) (f32.convert_i32_u (local.get $cols))))
      (local.set $s (f32.sqrt (f32.add
        (f32.div (call $row_squares (local.get $x) (local.get $cols) (local.get $m)) (f32.convert_i32_u (local.get $cols)))
        (local.get $eps))))
      (f32.store (local.get $mean) (local.get $m))
      (f32.store (local.get $sd) (local.get $s))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $sv (f32x4.splat (local.get $s)))
      (local.set $j (i32.const 0))
      (block $done_v (loop $vec
        (br_if $done_v (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (v128.store (i32.add (local.get $y) (local.get $j)) (f32x4.add
          (f32x4.mul (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mv)) (local.get $sv))
            (v128.load (i32.add (local.get $gamma) (local.get $j))))
          (v128.load (i32.add (local.get $beta) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (block $done_t (loop $tail
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $end)))
        (f32.store (i32.add (local.get $y) (local.get $j)) (f32.add
          (f32.mul (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $j))) (local.get $m)) (local.get $s))
            (f32.load (i32.add (local.get $gamma) (local.get $j))))
          (f32.load (i32.add (local.get $beta) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail)))
      (local.set $x (i32.add (local.get $x) (local.get $end)))
      (local.set $y (i32.add (local.get $y) (local.get $end)))
      (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
      (local.set $sd (i32.add (local.get $sd) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; From dy and the forward pass's x, mean and sd: with g = dy gamma,
  ;; dx = (g - mean(g) - x^ mean(g x^)) / sd per row, and dgamma[j] += dy x^, dbeta[j] += dy
  ;; over the rows (dgamma and dbeta zeroed by the caller). Two passes over each row: the first
  ;; takes the row means and the column sums, the second writes dx.
  (func (export "layer_norm_grad") (param $x i32) (param $gamma i32) (param $mean i32) (param $sd i32) (param $dy i32)
      (param $dx i32) (param $dgamma i32) (param $dbeta i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $end i32) (local $vecEnd i32) (local $p i32)
    (local $mv v128) (local $sv v128) (local $h v128) (local $g v128) (local $d v128) (local $sg v128) (local $sgh v128)
    (local $m f32) (local $s f32) (local $hs f32) (local $gs f32) (local $ds f32) (local $tg f32) (local $tgh f32) (local $n f32)
    (local.set $vecEnd (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $n (f32.convert_i32_u (local.get $cols)))
    (block $done (loop $rows_loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $m (f32.load (local.get $mean)))
      (local.set $s (f32.load (local.get $sd)))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $sv (f32x4.splat (local.get $s)))
      (local.set $sg (v128.const i32x4 0 0 0 0))
      (local.set $sgh (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $done_v (loop $sums
        (br_if $done_v (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (local.set $h (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mv)) (local.get $sv)))
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $j))))
        (local.set $g (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $gamma) (local.get $j)))))
        (local.set $sg (f32x4.add (local.get $sg) (local.get $g)))
        (local.set $sgh (f32x4.add (local.get $sgh) (f32x4.mul (local.get $g) (local.get $h))))
        (local.set $p (i32.add (local.get $dgamma) (local.get $j)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (local.get $d) (local.get $h))))
        (local.set $p (i32.add (local.get $dbeta) (local.get $j)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $d)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $sums)))
      (local.set $tg (call $lanes_sum (local.get $sg)))
      (local.set $tgh (call $lanes_sum (local.get $sgh)))
      (block $done_t (loop $tail_sums
        (br_if $done_t (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $hs (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $j))) (local.get $m)) (local.get $s)))
        (local.set $ds (f32.load (i32.add (local.get $dy) (local.get $j))))
        (local.set $gs (f32.mul (local.get $ds) (f32.load (i32.add (local.get $gamma) (local.get $j)))))
        (local.set $tg (f32.add (local.get $tg) (local.get $gs)))
        (local.set $tgh (f32.add (local.get $tgh) (f32.mul (local.get $gs) (local.get $hs))))
        (local.set $p (i32.add (local.get $dgamma) (local.get $j)))
        (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32.mul (local.get $ds) (local.get $hs))))
        (local.set $p (i32.add (local.get $dbeta) (local.get $j)))
        (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (local.get $ds)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail_sums)))
      (local.set $tg (f32.div (local.get $tg) (local.get $n)))
      (local.set $tgh (f32.div (local.get $tgh) (local.get $n)))
      (local.set $sg (f32x4.splat (local.get $tg)))
      (local.set $sgh (f32x4.splat (local.get $tgh)))
      (local.set $j (i32.const 0))
      (block $done_w (loop $grads
        (br_if $done_w (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (local.set $h (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mv)) (local.get $sv)))
        (local.set $g (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $j))) (v128.load (i32.add (local.get $gamma) (local.get $j)))))
        (v128.store (i32.add (local.get $dx) (local.get $j))
          (f32x4.div (f32x4.sub (f32x4.sub (local.get $g) (local.get $sg)) (f32x4.mul (local.get $h) (local.get $sgh))) (local.get $sv)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $grads)))
      (block $done_tw (loop $tail_grads
        (br_if $done_tw (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $hs (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $j))) (local.get $m)) (local.get $s)))
        (local.set $gs (f32.mul (f32.load (i32.add (local.get $dy) (local.get $j))) (f32.load (i32.add (local.get $gamma) (local.get $j)))))
        (f32.store (i32.add (local.get $dx) (local.get $j))
          (f32.div (f32.sub (f32.sub (local.get $gs) (local.get $tg)) (f32.mul (local.get $hs) (local.get $tgh))) (local.get $s)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail_grads)))
      (local.set $x (i32.add (local.get $x) (local.get $end)))
      (local.set $dy (i32.add (local.get $dy) (local.get $end)))
      (local.set $dx (i32.add (local.get $dx) (local.get $end)))
      (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
      (local.set $sd (i32.add (local.get $sd) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows_loop))))

  ;; ---- dense layers ----

  ;; dw [inCols, outCols] = x^T dz for x [rows, inCols] and dz [rows, outCols]: $product with x
  ;; read transposed, in blocks of 32 rows by 128 columns of dz (16 KB), each reused from L1 by
  ;; every row of dw. No transposed copy of x, and no packed copy of dz, which every product of
  ;; XNNPACK (wasm's matMul) makes of its second operand.
  (func (export "weight_grad") (param $x i32) (param $dz i32) (param $dw i32) (param $rows i32) (param $inCols i32) (param $outCols i32)
    (local $l i32) (local $kk i32) (local $j i32) (local $cols i32) (local $inBytes i32) (local $outBytes i32)
    (local.set $inBytes (i32.shl (local.get $inCols) (i32.const 2)))
    (local.set $outBytes (i32.shl (local.get $outCols) (i32.const 2)))
    (block $done_j (loop $column_blocks
      (br_if $done_j (i32.ge_u (local.get $j) (local.get $outCols)))
      (local.set $cols (select (i32.const 128) (i32.sub (local.get $outCols) (local.get $j))
        (i32.le_u (i32.add (local.get $j) (i32.const 128)) (local.get $outCols))))
      (local.set $l (i32.const 0))
      (block $done (loop $row_blocks
        (br_if $done (i32.ge_u (local.get $l) (local.get $rows)))
        (local.set $kk (select (i32.const 32) (i32.sub (local.get $rows) (local.get $l))
          (i32.le_u (i32.add (local.get $l) (i32.const 32)) (local.get $rows))))
        (call $product
          (i32.add (local.get $x) (i32.mul (local.get $l) (local.get $inBytes))) (i32.const 4) (local.get $inBytes)
          (i32.add (local.get $dz) (i32.shl (i32.add (i32.mul (local.get $l) (local.get $outCols)) (local.get $j)) (i32.const 2)))
          (local.get $kk) (local.get $cols) (local.get $outBytes)
          (i32.add (local.get $dw) (i32.shl (local.get $j) (i32.const 2))) (local.get $inCols) (i32.ne (local.get $l) (i32.const 0)))
        (local.set $l (i32.add (local.get $l) (local.get $kk)))
        (br $row_blocks)))
      (local.set $j (i32.add (local.get $j) (local.get $cols)))
      (br $column_blocks))))
)
