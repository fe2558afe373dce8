package s3route

import "testing"

// TestResourceTypesCover checks that every subresource [Classify] names
// at a level has the ResourceType S3's 405 names there, so that one added
// to the table is not answered BUCKET or OBJECT unnoticed. renameObject
// alone has none: S3 answered it as the bare path (brekkylab/backlot
// routers/s3.py _BUCKET_WRITE_SELECTORS's comment).
func TestResourceTypesCover(t *testing.T) {
	t.Parallel()
	for _, sr := range subresources {
		if sr.bucket != (byMethod{}) {
			if _, ok := bucketResourceTypes[sr.name]; !ok {
				t.Errorf("?%s at a bucket's path: no ResourceType", sr.name)
			}
		}
		if sr.object != (byMethod{}) && sr.name != "renameObject" {
			if _, ok := objectResourceTypes[sr.name]; !ok {
				t.Errorf("?%s at an object's path: no ResourceType", sr.name)
			}
		}
	}
	for name := range bucketResourceTypes {
		if !selectors[name] {
			t.Errorf("?%s: a ResourceType for a subresource Classify does not know", name)
		}
	}
	for name := range objectResourceTypes {
		if !selectors[name] {
			t.Errorf("?%s: a ResourceType for a subresource Classify does not know", name)
		}
	}
}
