# Peer: one global gradient-boosted model over all products (scikit-learn HistGradientBoostingRegressor):
# weekday, month, day of year, lags 1/7/14, 7- and 28-day means, 4-week same-weekday mean, product
# code; target divided by the product's 28-day mean; retrained every 7 origins on all data before the
# origin; 1 day ahead. Input: series.csv, targets.csv. Output: product,date,forecast.
import sys
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

series = pd.read_csv(sys.argv[1], parse_dates=['date'])
targets = pd.read_csv(sys.argv[2], parse_dates=['date'])
frames = []
for code, (product, g) in enumerate(series.groupby('product', sort=True)):
    g = g.set_index('date').asfreq('D')
    u = g['units']
    prior = u.shift(1)
    f = pd.DataFrame({
        'product': product, 'code': code, 'units': u,
        'weekday': g.index.weekday, 'month': g.index.month, 'doy': g.index.dayofyear,
        'lag1': prior, 'lag7': u.shift(7), 'lag14': u.shift(14),
        'mean7': prior.rolling(7, min_periods=3).mean(), 'mean28': prior.rolling(28, min_periods=7).mean(),
        'same_weekday4': pd.concat([u.shift(7 * k) for k in range(1, 5)], axis=1).mean(axis=1),
    }, index=g.index)
    frames.append(f)
data = pd.concat(frames).reset_index().rename(columns={'index': 'date'})
features = ['code', 'weekday', 'month', 'doy', 'lag1', 'lag7', 'lag14', 'mean7', 'mean28', 'same_weekday4']
scaled = ['lag1', 'lag7', 'lag14', 'mean7', 'mean28', 'same_weekday4']
scale = data['mean28'].where(data['mean28'] > 0)
X_all = data[features].copy()
X_all[scaled] = X_all[scaled].div(scale, axis=0)
y_all = data['units'] / scale
origins = sorted(targets['date'].unique())
model = None
rows = []
for i, origin in enumerate(origins):
    if model is None or i % 7 == 0:
        train = (data['date'] < origin) & y_all.notna() & scale.notna()
        model = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, categorical_features=[0], random_state=0)
        model.fit(X_all[train], y_all[train])
    wanted = targets[targets['date'] == origin]
    at = data[(data['date'] == origin) & data['product'].isin(wanted['product'])]
    pred = model.predict(X_all.loc[at.index]) * scale.loc[at.index].fillna(0).to_numpy()
    for product, value in zip(at['product'], pred):
        rows.append((product, pd.Timestamp(origin).strftime('%Y-%m-%d'), max(0.0, float(value))))
pd.DataFrame(rows, columns=['product', 'date', 'forecast']).to_csv(sys.argv[3], index=False)
