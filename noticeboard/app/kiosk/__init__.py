"""The resident kiosk: browse, ask and offer help in three steps, with nothing left for the next person."""
