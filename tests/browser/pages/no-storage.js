// As in a full quota or a private window: every write to storage throws.
Storage.prototype.setItem = function setItem() {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};
