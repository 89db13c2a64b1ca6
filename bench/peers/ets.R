# Peer: R's forecast::ets (automatic exponential smoothing, weekly seasonality on open days), refitted
# every 7 origins and re-estimated on the latest data in between, 1 day ahead. Input: series.csv
# (product,date,units with NA on closed days) and targets.csv (product,date). Output: product,date,forecast.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
series <- read.csv(args[1], stringsAsFactors = FALSE)
targets <- read.csv(args[2], stringsAsFactors = FALSE)
out <- data.frame(product = character(), date = character(), forecast = numeric(), stringsAsFactors = FALSE)
for (p in unique(targets$product)) {
  s <- series[series$product == p & !is.na(series$units), ]
  s <- s[order(s$date), ]
  fit <- NULL
  k <- 0
  for (d in sort(targets$date[targets$product == p])) {
    y <- tail(s$units[s$date < d], 364)
    y <- ts(y, frequency = 7)
    if (is.null(fit) || k %% 7 == 0) fit <- ets(y) else fit <- ets(y, model = fit, use.initial.values = FALSE)
    k <- k + 1
    out[nrow(out) + 1, ] <- list(p, d, max(0, as.numeric(forecast(fit, h = 1)$mean[1])))
  }
}
write.csv(out, args[3], row.names = FALSE)
