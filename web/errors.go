package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

// statusFor maps a domain error code to its HTTP status. It is the only
// place that does.
func statusFor(code string) int {
	switch code {
	case ally.EINVALID:
		return http.StatusBadRequest
	case ally.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ally.EFORBIDDEN:
		return http.StatusForbidden
	case ally.ENOTFOUND:
		return http.StatusNotFound
	case ally.ECONFLICT:
		return http.StatusConflict
	case ally.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ally.EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case ally.EMETHOD:
		return http.StatusMethodNotAllowed
	case ally.EHELD, ally.EREQUIRED:
		return http.StatusUnprocessableEntity
	case ally.ERATELIMITED:
		return http.StatusTooManyRequests
	case ally.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
