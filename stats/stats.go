// Package stats holds the plain arithmetic of Ally's reports: nearest-rank
// percentiles, rounded shares and means, and weekly buckets. It knows
// nothing of cases or databases.
package stats

// P50P90 returns the nearest-rank 50th and 90th percentiles of v, which
// must not be empty: the p-th percentile of n sorted values is the value at
// rank ceil(p/100 × n). It selects rather than sorts (linear time),
// reordering v.
func P50P90(v []float64) (p50, p90 float64) {
	r90, r50 := Rank(90, len(v)), Rank(50, len(v))
	p90 = SelectNth(v, r90)
	p50 = SelectNth(v[:r90+1], r50) // everything at or below rank 90 is now before it
	return p50, p90
}

// Rank is the 0-based nearest-rank index of the p-th percentile of n values.
func Rank(p, n int) int { return max((p*n+99)/100, 1) - 1 }

// SelectNth reorders v so that v[k] is the value a sort would put there,
// with no larger value before it, and returns it (Hoare's selection).
func SelectNth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		pivot := v[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// Share returns part/whole rounded to 4 places, or nil for an empty whole.
func Share(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	return ptr(float64(int(float64(part)/float64(whole)*10000+0.5)) / 10000)
}

// Percent returns a share as a percentage (nil stays nil).
func Percent(share *float64) *float64 {
	if share == nil {
		return nil
	}
	return ptr(*share * 100)
}

// Mean returns sum/n rounded to 2 places, or nil when n is 0.
func Mean(sum, n int) *float64 {
	if n == 0 {
		return nil
	}
	return ptr(float64(int(float64(sum)/float64(n)*100+0.5)) / 100)
}

func ptr(f float64) *float64 { return &f }
