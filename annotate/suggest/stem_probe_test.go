package suggest
import ("testing";"strings")
func TestStemProbe(t *testing.T){
 var out []string
 for _, w := range strings.Fields("administration administrative administrator government governments governing immigration immigrants immigrant immigrate migrant migrants migration deport deports deported deportation deportations talks talk discussions discuss discussed nationals national nation citizens citizen chinese china american americans america us united states spokesperson spokesman embassy court courts illegal illegally crossings crossing cross crossed record recorded records refused refuse repatriate repatriation repatriated cooperation cooperate uncooperative international countries country officials official security secretary minister ministry public matter met meet meeting february vienna customs border protection southern december reader replied reply increase increasing raised raise number numbers solve together problem problems washington beijing exclusively exclusive reported report process hopeful agreement agreements potential posture counterparts news state stated station president presidential") {
   out = append(out, w+"→"+stem(w))
 }
 t.Log(strings.Join(out, " "))
}
